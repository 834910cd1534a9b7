/**
 * The core cannot start, for a reason a person can act on (the data folder is in use, cannot be
 * written, the disk is full): hosts show the message, not a stack trace, and stop.
 */
export class StartupError extends Error {
  /** What kind of problem, for a host that wants to branch on it. */
  readonly code: 'DATA_FOLDER_IN_USE' | 'DISK_FULL' | 'READ_ONLY' | 'DATABASE_BUSY' | 'SETTINGS';

  constructor(code: StartupError['code'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
    this.code = code;
  }
}
