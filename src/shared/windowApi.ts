import type { CoreApi } from './contract';
import type { Result } from './errors';
import type { ChangeEvent } from './events';

/**
 * What the preload (or, in a plain browser, the harness) puts on `window`. Core channels are
 * typed here; a module's channels are typed by its own contract through the renderer's `call`.
 */
export type WindowApi = CoreApi & Record<string, (input: unknown) => Promise<Result<unknown>>>;

export interface AppEvents {
  /** Runs `listener` after any change made by any window (or terminal of a site); returns an unsubscribe function. */
  onChanged(listener: (event: ChangeEvent) => void): () => void;
}
