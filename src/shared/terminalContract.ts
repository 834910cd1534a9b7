import { z } from 'zod';
import { command, query, type ApiOf } from './channel';
import { cleanText } from './text';

export type ConnectionState = 'connected' | 'connecting' | 'unreachable' | 'refused';

/** How this terminal works: on its own database, or as a terminal of a site server. */
export interface TerminalState {
  mode: 'standalone' | 'site';
  /** Site mode: whether this terminal has its credential from the server. */
  enrolled: boolean;
  /** Site mode: the server's address (https://host:port). */
  server: string | null;
  /** The id and name the server knows this terminal by. */
  terminalId: string | null;
  name: string | null;
  /** SHA-256 of the site CA this terminal pinned at enrollment (hex pairs). */
  caFingerprint: string | null;
  connection: ConnectionState;
  /** Since when the connection is in its state (ISO time). */
  since: string;
  /** Why it is unreachable or refused, for people. */
  problem: string | null;
  appVersion: string;
}

/** What a server says about itself before a terminal trusts it. */
export interface ServerIntroduction {
  address: string;
  caFingerprint: string;
  serverVersion: string;
  /** This terminal's version can work with it. */
  compatible: boolean;
  problem: string | null;
}

export const serverAddress = z
  .string()
  .trim()
  .min(1, 'Enter the site server’s address')
  .max(300)
  .transform((typed, ctx) => {
    const withScheme = /^[a-z]+:\/\//i.test(typed) ? typed : `https://${typed}`;
    try {
      const url = new URL(withScheme);
      if (url.protocol !== 'https:') throw new Error('https only');
      if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) throw new Error('host and port only');
      return url.origin;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'Enter the address as the server console shows it, e.g. https://192.168.1.20:8443' });
      return z.NEVER;
    }
  });

const fingerprint = z.string().regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/, 'A certificate fingerprint is 32 hex pairs');

/** Answered by the terminal itself (Electron's main or the harness), never sent to a server. */
export const terminalContract = {
  'terminal.state': query<TerminalState>()(z.strictObject({})),
  /** Connects to a server without trusting it yet, to show its fingerprint for the person to compare. */
  'terminal.inspect': query<ServerIntroduction>()(z.strictObject({ address: serverAddress })),
  /** Enrolls with the one-time code, trusting only the certificate authority the person accepted. */
  'terminal.enroll': command<TerminalState>()(
    z.strictObject({
      address: serverAddress,
      code: z.string().trim().min(1, 'Enter the enrollment code').max(40),
      name: cleanText(60).min(1, 'Give this terminal a name (e.g. QC bench 2)'),
      caFingerprint: fingerprint,
    }),
  ),
  /**
   * Switches how this terminal works, then restarts it: to a site terminal (its first screen then
   * asks for the server and code) or back to standalone. An administrator's decision: of this
   * terminal's own database, or of the site it is enrolled with.
   */
  'terminal.setMode': command<{ restarting: boolean }>()(z.strictObject({ mode: z.enum(['standalone', 'site']) })),
};

export type TerminalContract = typeof terminalContract;
export type TerminalApi = ApiOf<TerminalContract>;
/** The channels a terminal answers itself. */
export const TERMINAL_CHANNELS = new Set(Object.keys(terminalContract));
