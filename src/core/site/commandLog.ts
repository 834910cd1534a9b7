import { and, eq, lt, sql } from 'drizzle-orm';
import type { Result } from '../../shared/errors';
import type { Db } from '../db/connection';
import { commandLog } from '../db/schema';

/** How long a command's key is kept: far longer than any terminal retries a lost answer. */
export const COMMAND_KEY_DAYS = 7;

/** The answer a retry gets when the command was applied but the server stopped before its answer was kept. */
export const APPLIED_BEFORE: Result<unknown> = {
  ok: false,
  error: {
    code: 'STALE_VERSION',
    message: 'This was already done: the site server applied it before the connection dropped. Look at the item again.',
    details: { alreadyApplied: true },
  },
};

/** The answer to a command whose key this terminal already used for another call. */
export const KEY_REUSED: Result<unknown> = {
  ok: false,
  error: { code: 'VALIDATION', message: 'This command id was already used for another call from this terminal; nothing was done. Send each command with a new id.' },
};

/**
 * Site terminals' idempotency keys. `note` runs inside the command's first transaction, so the key
 * is committed exactly when the command's first change is; `finish` keeps the answer after.
 */
export function commandLogStore(db: Db) {
  // Asked and written for every command a terminal sends: built once.
  const ofKey = and(eq(commandLog.terminal, sql.placeholder('terminal')), eq(commandLog.commandId, sql.placeholder('commandId')));
  const kept = db.select({ result: commandLog.result, channel: commandLog.channel }).from(commandLog).where(ofKey).prepare();
  const insert = db
    .insert(commandLog)
    .values({ terminal: sql.placeholder('terminal'), commandId: sql.placeholder('commandId'), channel: sql.placeholder('channel'), at: sql.placeholder('at') })
    .prepare();
  const keepResult = db.update(commandLog).set({ result: sql`${sql.placeholder('result')}` }).where(ofKey).prepare();
  return {
    /** What a retry of this key gets: the kept answer, APPLIED_BEFORE, or undefined when it never committed. */
    previous(terminal: string, commandId: string, channel: string): Result<unknown> | undefined {
      const row = kept.get({ terminal, commandId });
      if (!row) return undefined;
      // Not a retry: another call under a key already used. It is neither run nor given that call's answer.
      if (row.channel !== channel) return KEY_REUSED;
      return row.result === null ? APPLIED_BEFORE : (JSON.parse(row.result) as Result<unknown>);
    },
    note(terminal: string, commandId: string, channel: string, at: number): void {
      insert.run({ terminal, commandId, channel, at });
    },
    finish(terminal: string, commandId: string, result: Result<unknown>): void {
      keepResult.run({ terminal, commandId, result: JSON.stringify(result) });
    },
    prune(before: number): void {
      db.delete(commandLog).where(lt(commandLog.at, before)).run();
    },
  };
}
export type CommandLogStore = ReturnType<typeof commandLogStore>;
