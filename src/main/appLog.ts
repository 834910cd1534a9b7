import type pino from 'pino';

/** What the desktop app writes to its log file (and the console): the core's messages and every error it sees. */
export interface AppLog {
  info(message: string): void;
  error(message: string, error?: unknown): void;
  /** The folder the files are in, shown in About and opened from Help. */
  dir: string;
}

export function appLog(logger: pino.Logger | null, dir: string): AppLog {
  return {
    dir,
    info(message) {
      logger?.info(message);
      console.log(message);
    },
    error(message, error) {
      const err = error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : error === undefined ? undefined : { value: String(error) };
      logger?.error(err ? { err } : {}, message);
      console.error(message, error ?? '');
    },
  };
}

/** Why a window's page went away (Electron's render-process-gone details), in words for the log and the dialog. */
export function goneMessage(details: { reason: string; exitCode: number }): string {
  const why: Record<string, string> = {
    crashed: 'crashed',
    oom: 'ran out of memory',
    killed: 'was ended by the system',
    'launch-failed': 'could not start',
    'integrity-failure': 'failed a code integrity check',
    'abnormal-exit': 'ended unexpectedly',
  };
  return `The window's page ${why[details.reason] ?? `stopped (${details.reason})`} (exit code ${details.exitCode}).`;
}

/** A renderer console message worth keeping: errors (the error boundary and uncaught errors log there). */
export function rendererErrorLine(level: string | number, message: string, source: string, line: number): string | null {
  const isError = level === 'error' || level === 3;
  return isError ? `Renderer error: ${message}${source ? ` (${source}:${line})` : ''}` : null;
}
