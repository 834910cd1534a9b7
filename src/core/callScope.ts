import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The call a piece of core work belongs to, for what must be written inside that call's own
 * transactions without every handler passing it along: the terminal it came from (recorded with
 * each change) and, for a site terminal's command, its idempotency key.
 */
export interface CallScope {
  terminal: string;
  /** The terminal's key for this command: kept with the command's first commit, so a retry is not applied twice. */
  commandId?: string;
  channel?: string;
  /** Set once the command's first transaction noted the key. */
  recorded?: boolean;
}

const scopes = new AsyncLocalStorage<CallScope>();

export const runInCall = <T>(scope: CallScope, fn: () => T): T => scopes.run(scope, fn);
export const currentCall = (): CallScope | undefined => scopes.getStore();
/** Runs work that belongs to no call (deferred jobs), even when its timer was set during one. */
export const outsideCall = <T>(fn: () => T): T => scopes.exit(fn);
