import type { Result } from './errors';
import type { ChangeEvent } from './events';

/** How a terminal and its site server talk (HTTPS and one WebSocket); both sides read these. */
export const SITE_PATHS = {
  /** Public: the server's CA and version, for a terminal about to enroll. */
  hello: '/enroll/hello',
  /** Public: a one-time code buys a terminal credential. */
  enroll: '/enroll',
  /** Enrolled terminals only: a new window session. */
  sessions: '/api/sessions',
  /** Enrolled terminals only: one contract call. */
  call: '/api/call',
  /** Enrolled terminals only (WebSocket): change events. */
  events: '/api/events',
  health: '/health',
} as const;

/** Sent by both sides on every request and answer: different versions refuse each other. */
export const VERSION_HEADER = 'x-aw-version';

export interface Hello {
  caPem: string;
  caFingerprint: string;
  serverVersion: string;
}

export interface EnrollRequest {
  code: string;
  name: string;
}

export interface EnrollAnswer {
  terminalId: string;
  credential: string;
  name: string;
}

export interface CallRequest {
  channel: string;
  /** A window session the server issued to this terminal. */
  session: string;
  input: unknown;
  /** Commands: the terminal's idempotency key (a retry sends the same one). */
  commandId?: string;
}

export type CallAnswer = Result<unknown>;

/** What the server sends on the events socket. `epoch` changes when the server restarts. */
export type ServerMessage =
  | { type: 'welcome'; epoch: string; seq: number }
  /** The terminal asked for events the server no longer has (or from another epoch): re-read everything. */
  | { type: 'resync'; epoch: string; seq: number }
  | { type: 'change'; epoch: string; event: ChangeEvent & { seq: number } };
