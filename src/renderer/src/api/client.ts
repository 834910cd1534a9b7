import type { ChannelMap, InputOf, OutputOf } from '../../../shared/channel';
import type { CoreContract } from '../../../shared/contract';
import { isAppErrorData, type AppErrorData, type ErrorCode } from '../../../shared/errors';

/** Dispatched on window whenever the core answers SIGNED_OUT. */
export const SIGNED_OUT_EVENT = 'aw:signed-out';
/** Dispatched on window whenever a call says the site server is unreachable or refuses this terminal. */
export const SITE_TROUBLE_EVENT = 'aw:site-trouble';
const SITE_TROUBLE_CODES: readonly ErrorCode[] = ['UNREACHABLE', 'INCOMPATIBLE', 'NOT_ENROLLED'];

/** An error answered by the core, with its machine-readable code and a message meant for people. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(data: AppErrorData) {
    super(data.message);
    this.code = data.code;
    this.details = data.details;
  }

  /** Field-level messages from a VALIDATION error, keyed by the first path segment. */
  fieldErrors(): Record<string, string> {
    const issues = (this.details as { issues?: { path: string[]; message: string }[] } | undefined)?.issues ?? [];
    const out: Record<string, string> = {};
    for (const issue of issues) {
      const key = issue.path[0] ?? '';
      out[key] ??= issue.message;
    }
    return out;
  }
}

/** Whatever a call threw, as an ApiError (one the core did not answer becomes INTERNAL with its message). */
export const asApiError = (error: unknown): ApiError =>
  error instanceof ApiError ? error : new ApiError({ code: 'INTERNAL', message: (error as Error)?.message ?? String(error) });

/**
 * A caller for one contract's channels: returns the value, or throws ApiError. Only the
 * contract's type is used, so no schema code is bundled into the renderer. A module's screens
 * make their own: `const departments = apiFor<typeof departmentsContract>()`.
 */
export const apiFor =
  <M extends ChannelMap>() =>
  async <K extends keyof M & string>(channel: K, input: InputOf<M[K]>): Promise<OutputOf<M[K]>> => {
    const fn = window.api?.[channel];
    if (!fn) throw new ApiError({ code: 'MODULE_DISABLED', message: `This app build has no "${channel}" call.` });
    const result = await fn(input);
    if (result && result.ok) return result.value as OutputOf<M[K]>;
    const error = result && !result.ok && isAppErrorData(result.error) ? result.error : null;
    // A sign-in module's gate listens: the core says nobody is signed in here (idle lock, signed out elsewhere).
    if (error?.code === 'SIGNED_OUT') window.dispatchEvent(new Event(SIGNED_OUT_EVENT));
    // The terminal's state is read again, so every window shows the banner and goes read-only.
    if (error && SITE_TROUBLE_CODES.includes(error.code)) window.dispatchEvent(new Event(SITE_TROUBLE_EVENT));
    throw new ApiError(error ?? { code: 'INTERNAL', message: 'The app core gave an answer this screen does not understand.' });
  };

/** The core's own channels. */
export const core = apiFor<CoreContract>();
