/** Machine-readable error codes that cross IPC. The renderer branches on these, never on messages. */
export const ERROR_CODES = [
  'VALIDATION',
  'NOT_FOUND',
  'INVALID_TRANSITION',
  'STALE_VERSION',
  'FORBIDDEN',
  /** Nobody is signed in at this terminal (a sign-in module is on). */
  'SIGNED_OUT',
  'MODULE_DISABLED',
  /** The disk holding the data folder is full: nothing was saved. */
  'DISK_FULL',
  /** Another program holds the database's write lock: nothing was changed; try again. */
  'DATABASE_BUSY',
  /** The data folder or database cannot be written (read-only, no permission): nothing was changed. */
  'READ_ONLY',
  /** Site terminal: the site server cannot be reached now; nothing was changed (it retries by itself). */
  'UNREACHABLE',
  /** Site terminal and server run different versions, or the server's certificate is not the one pinned: they refuse each other. */
  'INCOMPATIBLE',
  /** Site server: the terminal is not enrolled, or was revoked. */
  'NOT_ENROLLED',
  'INTERNAL',
] as const;

/** STALE_VERSION on a work item: it moved since the person opened it, so their action (and signature) did not happen. */
export const CHANGED_MEANWHILE = 'This item was changed since you opened it, so nothing was done and nothing was signed. Look at it again and retry';

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The only shape an error takes when it leaves the core: plain data, no stack. */
export interface AppErrorData {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorData };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  toData(): AppErrorData {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export const isAppErrorData = (value: unknown): value is AppErrorData =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as AppErrorData).code === 'string' &&
  (ERROR_CODES as readonly string[]).includes((value as AppErrorData).code) &&
  typeof (value as AppErrorData).message === 'string';
