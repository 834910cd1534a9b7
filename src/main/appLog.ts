import { existsSync, renameSync, rmSync } from 'node:fs';

/** Where log lines go besides the console: electron-log's file transport in the app (any two such functions in a test). */
export interface LogSink {
  info(...params: unknown[]): void;
  error(...params: unknown[]): void;
}

/** What the desktop app writes to its log file (and the console): the core's messages and every error it sees. */
export interface AppLog {
  info(message: string): void;
  error(message: string, error?: unknown): void;
  /** The folder the files are in, shown in About and opened from Help. */
  dir: string;
}

export function appLog(sink: LogSink | null, dir: string): AppLog {
  return {
    dir,
    info(message) {
      if (sink) sink.info(message);
      else console.log(message);
    },
    error(message, error) {
      if (sink) sink.error(message, ...(error === undefined ? [] : [error]));
      else console.error(message, error ?? '');
    },
  };
}

/**
 * Rotation for a full log file: app.log becomes app.1.log, app.1.log app.2.log, …, and the oldest
 * past `keep` is deleted. electron-log calls this when app.log reaches its size limit.
 */
export function rotateLogFiles(file: string, keep: number): void {
  const numbered = (n: number) => file.replace(/\.log$/, `.${n}.log`);
  rmSync(numbered(keep), { force: true });
  for (let n = keep - 1; n >= 1; n--) if (existsSync(numbered(n))) renameSync(numbered(n), numbered(n + 1));
  if (existsSync(file)) renameSync(file, numbered(1));
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
