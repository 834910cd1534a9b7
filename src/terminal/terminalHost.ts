import type { Result } from '../shared/errors';
import type { ChangeEvent } from '../shared/events';
import { terminalContract } from '../shared/terminalContract';
import { terminalConfig } from './terminalConfig';

/** What Electron's main and the browser harness serve their windows from: a local core, or a site server. */
export interface TerminalHost {
  invoke(channel: string, input: unknown, windowSession: string): Promise<Result<unknown>>;
  onEvent(listener: (event: ChangeEvent) => void): () => void;
  close(): Promise<void>;
}

/** An error answer of the terminal's own, in the core's shape. */
export const fail = (code: 'VALIDATION' | 'UNREACHABLE' | 'INCOMPATIBLE' | 'NOT_ENROLLED' | 'INVALID_TRANSITION' | 'FORBIDDEN', message: string, details?: unknown): Result<unknown> => ({
  ok: false,
  error: { code, message, ...(details === undefined ? {} : { details }) },
});

/** The terminal channel's input checked against its contract, or the VALIDATION answer. */
export const validation = (channel: keyof typeof terminalContract, input: unknown) => {
  const parsed = terminalContract[channel].input.safeParse(input ?? {});
  if (parsed.success) return { data: parsed.data as never, error: null };
  const issue = parsed.error.issues[0];
  return { data: null, error: fail('VALIDATION', `${issue?.path.length ? `${issue.path.join('.')}: ` : ''}${issue?.message ?? 'not valid'}`) };
};

/** What a host can do to apply a new mode: restart the app (Electron relaunches; the harness starts its host again). */
export interface ModeSwitch {
  dataDir: string;
  restart?: () => void;
}

const RESTART_BY_HAND = 'Close the app and start it again to apply it.';

/** Writes the new mode and restarts the terminal if its host can. */
export function switchMode(modes: ModeSwitch, mode: 'standalone' | 'site'): Result<unknown> {
  terminalConfig(modes.dataDir).write({ mode, server: null, name: null, caPem: null, terminalId: null, sealedCredential: null, vault: null });
  if (!modes.restart) return { ok: true, value: { restarting: false, message: RESTART_BY_HAND } };
  setTimeout(modes.restart, 50);
  return { ok: true, value: { restarting: true } };
}
