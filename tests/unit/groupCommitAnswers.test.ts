import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { command, query } from '../../src/shared/channel';
import { AppError, type Result } from '../../src/shared/errors';
import { buildHandlerTable } from '../../src/core/handlers/table';
import type { HandlersOf } from '../../src/core/modules/types';
import type { ChannelMap } from '../../src/shared/channel';

/**
 * Group commit (site server): no command is answered before the flush that covers what it
 * committed. A command refused after committing (a wrong PIN at an e-signature is counted and put
 * on record first, then refused) waits for that flush like one that succeeded; and a flush that
 * failed is never answered as "nothing was changed".
 */
const contract = {
  'test.signWrongPin': command<null>()(z.strictObject({})),
  'test.create': command<{ id: number }>()(z.strictObject({})),
  'test.read': query<number>()(z.strictObject({})),
} satisfies ChannelMap;

function table(durable: () => Promise<void>) {
  const committed: string[] = [];
  const handlers = {
    'test.signWrongPin': () => {
      committed.push('attempt counted, signature-failed on record');
      throw new AppError('FORBIDDEN', 'PIN incorrect: nothing was signed.');
    },
    'test.create': () => {
      committed.push('item created');
      return { id: 1 };
    },
    'test.read': () => 42,
  } as unknown as HandlersOf<ChannelMap>;
  const built = buildHandlerTable({
    groups: [{ contract, handlers }],
    channelOwners: new Map(),
    callContext: (session, _channel, terminal) => ({ actor: { id: 'user:1', name: 'Ada' }, session, terminal, canAdminister: false }),
    authorizers: [],
    canAdminister: () => false,
    onCommandDone: () => undefined,
    logError: () => undefined,
    durable,
  });
  return { invoke: built.invoke, committed };
}

/** A flush that completes only when told to. */
function heldFlush() {
  let release: () => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  let asked = 0;
  return {
    durable: () => {
      asked += 1;
      return new Promise<void>((resolve, reject) => {
        release = resolve;
        fail = reject;
      });
    },
    release: () => release(),
    fail: (error: Error) => fail(error),
    asked: () => asked,
  };
}

const settledSoon = async (answer: Promise<Result<unknown>>) => {
  let settled = false;
  void answer.then(() => (settled = true));
  await new Promise((resolve) => setTimeout(resolve, 30));
  return settled;
};

describe('answers under group commit', () => {
  it('answers a command refused after it committed only once that commit is on disk', async () => {
    const flush = heldFlush();
    const { invoke, committed } = table(flush.durable);
    const answer = invoke('test.signWrongPin', {}, 's1', 't1');
    expect(await settledSoon(answer)).toBe(false);
    expect(committed).toHaveLength(1);
    flush.release();
    expect(await answer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(flush.asked()).toBe(1);
  });

  it('does not wait for a flush to answer a query', async () => {
    const flush = heldFlush();
    const { invoke } = table(flush.durable);
    expect(await invoke('test.read', {}, 's1', 't1')).toEqual({ ok: true, value: 42 });
    expect(flush.asked()).toBe(0);
  });

  it('never answers "nothing was changed" for a command whose flush failed: it may have been done', async () => {
    const flush = heldFlush();
    const { invoke } = table(flush.durable);
    const answer = invoke('test.create', {}, 's1', 't1');
    expect(await settledSoon(answer)).toBe(false);
    flush.fail(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
    const result = await answer;
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL', details: { notConfirmedOnDisk: true } } });
    expect((result as { error: { message: string } }).error.message).not.toContain('nothing was changed');
    expect((result as { error: { message: string } }).error.message).toContain('may have been done');
  });
});
