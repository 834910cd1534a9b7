import type { Result } from '../../shared/errors';
import { runInCall, type CallScope } from '../callScope';
import { DEFAULT_SESSION, type Invoke } from '../handlers/table';
import type { CommandLogStore } from './commandLog';

/** How long finished answers wait to be kept together in one write. */
const KEEP_ANSWERS_EVERY_MS = 200;

/**
 * Runs every call in its scope (the terminal it came from) and makes commands that carry a key
 * idempotent: the same key while the first is running waits for its answer; once it committed, a
 * retry gets the kept answer (or, if the server stopped before keeping it, "already done") and is
 * never applied again. The key itself is written inside the command's first commit (app.ts).
 *
 * An answer that holds a secret shown once (a recovery code, an enrollment code) is not kept: the
 * command log is in the database and its backups, for days. A retry of one gets "already done".
 *
 * Answers are kept a moment later in one write for many commands: losing them in a crash only
 * turns a retry's answer into "already done", so they need no commit of their own.
 */
export function idempotentInvoke(
  invoke: Invoke,
  log: CommandLogStore,
  /** Runs the write of the kept answers now, if the database allows it; false: not now (another call's transaction is open), nothing done. */
  runWrite: (fn: () => void) => boolean,
  onError: (error: unknown) => void,
  /** Channels whose answer is a secret shown once: never kept, so a retry of a lost one gets APPLIED_BEFORE. */
  secretAnswers: ReadonlySet<string> = new Set(),
) {
  const inFlight = new Map<string, Promise<Result<unknown>>>();
  let answers = new Map<string, { terminal: string; commandId: string; result: Result<unknown> }>();
  let timer: NodeJS.Timeout | null = null;
  const keepAnswers = () => {
    timer = null;
    const batch = answers;
    answers = new Map();
    if (!batch.size) return;
    try {
      const kept = runWrite(() => {
        for (const a of batch.values()) log.finish(a.terminal, a.commandId, a.result);
      });
      if (!kept) {
        // Kept a moment later, with what finished meanwhile.
        answers = new Map([...batch, ...answers]);
        timer ??= setTimeout(keepAnswers, KEEP_ANSWERS_EVERY_MS);
      }
    } catch (error) {
      onError(error);
    }
  };

  const wrapped: Invoke = (channel, input, session, terminal, options) => {
    const scope: CallScope = { terminal: terminal ?? session ?? DEFAULT_SESSION };
    const commandId = options?.commandId;
    if (!commandId) return runInCall(scope, () => invoke(channel, input, session, terminal));
    scope.commandId = commandId;
    scope.channel = channel;
    // The channel is part of the key in memory too: only a retry of the same call shares its answer.
    const key = `${scope.terminal}\u0000${commandId}\u0000${channel}`;
    const running = inFlight.get(key);
    if (running) return running;
    const kept = answers.get(key)?.result ?? log.previous(scope.terminal, commandId, channel);
    if (kept) return Promise.resolve(kept);
    const answer = runInCall(scope, () => invoke(channel, input, session, terminal)).then((result) => {
      if (scope.recorded && !secretAnswers.has(channel)) {
        answers.set(key, { terminal: scope.terminal, commandId, result });
        timer ??= setTimeout(keepAnswers, KEEP_ANSWERS_EVERY_MS);
      }
      return result;
    });
    inFlight.set(key, answer);
    void answer.finally(() => inFlight.delete(key));
    return answer;
  };
  return {
    invoke: wrapped,
    /** Keeps the answers waiting now (at close). */
    flush: () => {
      if (timer) clearTimeout(timer);
      timer = null;
      keepAnswers();
      // Not kept now (a call's transaction is open at close): they are lost, as in a crash; no timer outlives the core.
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
