import { z } from 'zod';
import { adminCommand, adminQuery, secretAnswer, type ApiOf } from './channel';

/** A terminal enrolled with a site server, as administrators see it. */
export interface TerminalInfo {
  id: string;
  name: string;
  enrolledAt: string;
  lastSeenAt: string | null;
  appVersion: string | null;
  /** The network address it was last heard from. */
  address: string | null;
  revokedAt: string | null;
  /** Who is signed in at its windows now. */
  signedIn: string[];
}

/** The site server's own channels: answered only by a site server (in standalone they are not there). */
export const siteContract = {
  'site.terminals': adminQuery<TerminalInfo[]>()(z.strictObject({})),
  'site.createEnrollmentCode': secretAnswer(adminCommand<{ code: string; expiresAt: string }>()(z.strictObject({}))),
  'site.revokeTerminal': adminCommand<{ revoked: true }>()(z.strictObject({ id: z.string().min(1).max(40) })),
};

export type SiteContract = typeof siteContract;
export type SiteApi = ApiOf<SiteContract>;
