import { z } from 'zod';
import { defineModule, type RecordedChange } from '../../src/core/modules/types';
import { AppError } from '../../src/shared/errors';
import { eventRange, type EventRow } from './blocks';
import { highestIssuedQuery, pageQuery, storedEntry, type EntryRow } from './chain';
import { auditContract, type VerifyProgress } from './contract';
import { auditCsv } from './csv';
import { BLOCK_SIZE, eventSealer } from './seal';
import { AuditStore } from './store';
import { verifyChain, type ChainSource, type VerifyResult } from './verify';

const configSchema = z.strictObject({
  /**
   * A work item's event is sealed into the chain in a block of up to 50 events, at the latest this
   * many seconds after the block's first event (and before any check of the chain, and at close).
   */
  sealWithinSeconds: z.number().int().min(1).max(86_400).default(600),
});

/** Blocks sealed at close at most; a longer backlog (a trail switched off for months) is sealed at the next start. */
const BLOCKS_AT_CLOSE = 200;

export default defineModule({
  name: 'audit',
  version: '0.2.0',
  description: 'An append-only, hash-chained audit trail of every change: transitions, items, comments, configuration, sign-ins.',
  hasMigrations: true,
  configSchema,
  // So the first run's departments and templates, seeded as those modules start, are recorded.
  startsFirst: true,
  contract: auditContract,
  setup({ db, config, clock, background, transaction, soon, log }) {
    const store = new AuditStore(db, background.all);
    const sealer = eventSealer(db, store, clock);
    // Joins the change's transaction; alone (a change reported outside one) it still reads the last hash and appends atomically.
    const append = (change: RecordedChange) => transaction(() => store.append(change));

    // A full block is sealed shortly after the transition that fills it, one block per turn; what
    // is left waits at most sealWithinSeconds (so a quiet hangar's events still join the chain soon).
    const sealRest = () => {
      if (sealer.pending() === 0) return;
      transaction(() => sealer.sealBlock());
      soon(sealRest);
    };
    const sealFullBlocks = () => {
      if (sealer.pending(BLOCK_SIZE) < BLOCK_SIZE) return soon(sealRest, { withinMs: config.sealWithinSeconds * 1000 });
      transaction(() => sealer.sealBlock());
      soon(sealFullBlocks);
    };
    /** Before the chain is checked: every committed event is in it. */
    const sealed = () => {
      if (sealer.pending() === 0) return;
      const started = performance.now();
      const count = transaction(() => sealer.sealAll());
      if (count > BLOCK_SIZE) log(`Sealed ${count} events into the audit trail in ${Math.round(performance.now() - started)} ms.`);
    };
    // Events committed while this module was off, by a process without it, or before a crash, join the chain now.
    if (sealer.pending() > 0) soon(sealRest);

    // The walk reads on the worker thread, a page at a time, so the app answers while it runs.
    const source: ChainSource = {
      page: async (afterSeq, limit) => (await background.all<EntryRow>(pageQuery(afterSeq, limit))).map(storedEntry),
      highestIssued: async () => (await background.all<{ seq: number }>(highestIssuedQuery()))[0]?.seq ?? 0,
      events: (first, last) => background.all<EventRow>(eventRange(first, last)),
    };
    let progress: VerifyProgress = { running: false, checked: 0, total: 0 };
    let running: Promise<VerifyResult> | null = null;
    const verify = () => {
      running ??= (async () => {
        progress = { running: true, checked: 0, total: store.count() };
        try {
          return await verifyChain(source, (checked) => (progress = { ...progress, checked }));
        } finally {
          progress = { ...progress, running: false };
          running = null;
        }
      })();
      return running;
    };

    return {
      on: {
        transition: () => soon(sealFullBlocks),
        created: () => soon(sealFullBlocks),
        change: append,
      },
      stop: () => {
        try {
          transaction(() => sealer.sealAll(BLOCKS_AT_CLOSE));
        } catch (error) {
          log(`Could not seal the last events into the audit trail at close (the next start will): ${(error as Error).message}`);
        }
      },
      authorize: ({ channel, call }) => {
        if (channel.startsWith('audit.') && !call.canAdminister) {
          throw new AppError('FORBIDDEN', 'Only an administrator can read the audit trail; ask an admin to sign in.');
        }
      },
      handlers: {
        'audit.list': ({ limit, offset, ...filter }) => store.page(filter, limit, offset),
        'audit.facets': () => store.facets(),
        'audit.verify': () => {
          sealed();
          return verify();
        },
        'audit.verifyProgress': () => progress,
        'audit.exportCsv': async (filter) => {
          const rows = await store.everything(filter);
          return { fileName: `audit-trail-${new Date(clock()).toISOString().slice(0, 10)}.csv`, content: auditCsv(rows), rows: rows.length };
        },
      },
    };
  },
});
