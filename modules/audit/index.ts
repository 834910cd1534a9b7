import { z } from 'zod';
import { defineModule, type RecordedChange } from '../../src/core/modules/types';
import { AppError } from '../../src/shared/errors';
import { highestIssuedQuery, pageQuery, storedEntry, type EntryRow } from './chain';
import { auditContract, type VerifyProgress, type VerifyReport } from './contract';
import { coverageKeeper } from './coverage';
import { csvFileName, tableCsv } from '../../src/shared/exportTable';
import { auditTable } from './auditTable';
import { BLOCK_SIZE, eventSealer, recordSealer, tablesAtStart } from './seal';
import { AuditStore } from './store';
import { verifyChain, type ChainSource } from './verify';

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
  setup({ db, config, clock, background, transaction, soon, log, audited, storage }) {
    const store = new AuditStore(db, background.all);
    // Read before the other modules start: which rows were there before this run (history from before
    // sealing, or rows written while no app with the trail was running), sealed as found.
    const atStart = tablesAtStart(db);
    const sealer = eventSealer(db, store, clock, atStart);
    // What the other modules declare (ctx.audited) is read once they have all started: in the deferred jobs and handlers below.
    const coverage = coverageKeeper({ db, store, clock, transaction, registry: audited, read: background.all, log });
    const records = recordSealer(db, store, clock, coverage.sealedTables, atStart);
    // Joins the change's transaction; alone (a change reported outside one) it still reads the last hash and appends atomically.
    const append = (change: RecordedChange) => transaction(() => store.append(change));

    /** Seals one block: of events, else of a declared table's rows; `full`: only a full one (BLOCK_SIZE waiting). */
    const sealOne = (full: boolean): boolean => {
      const size = full ? BLOCK_SIZE : 1;
      if (sealer.pending(size) >= size) {
        transaction(() => sealer.sealBlock());
        return true;
      }
      const table = records.waiting(size);
      if (!table) return false;
      transaction(() => records.sealBlock(table));
      return true;
    };
    // A full block is sealed shortly after the transition or change that fills it, one block per turn;
    // what is left waits at most sealWithinSeconds (so a quiet hangar's events still join the chain soon).
    const sealRest = () => {
      coverage.declare();
      if (sealOne(false)) soon(sealRest);
    };
    const sealFullBlocks = () => {
      coverage.declare();
      if (sealOne(true)) return soon(sealFullBlocks);
      if (sealer.pending() > 0 || records.waiting()) soon(sealRest, { withinMs: config.sealWithinSeconds * 1000 });
    };
    /** Before the chain is checked: the declarations are in it and every committed event and declared row is sealed. */
    const sealed = async () => {
      coverage.declare();
      await coverage.ready();
      if (sealer.pending() === 0 && !records.waiting()) return;
      const started = performance.now();
      const count = transaction(() => sealer.sealAll() + records.sealAll());
      if (count > BLOCK_SIZE) log(`Sealed ${count} events and rows into the audit trail in ${Math.round(performance.now() - started)} ms.`);
    };
    // Once every module has started: their declarations join the chain, and events and rows committed
    // while this module was off, by a process without it, or before a crash, are sealed (what this
    // run writes waits for its block as usual).
    const eventsWaitingAtStart = sealer.pending() > 0;
    soon(() => {
      coverage.declare();
      if (eventsWaitingAtStart || records.waiting()) soon(sealRest);
    });

    // The walk reads on the worker thread, a page at a time, so the app answers while it runs.
    const source: ChainSource = {
      page: async (afterSeq, limit) => (await background.all<EntryRow>(pageQuery(afterSeq, limit))).map(storedEntry),
      highestIssued: async () => (await background.all<{ seq: number }>(highestIssuedQuery()))[0]?.seq ?? 0,
      all: (query) => background.all(query),
    };
    let progress: VerifyProgress = { running: false, checked: 0, total: 0 };
    let running: Promise<VerifyReport> | null = null;
    const verify = () => {
      running ??= (async () => {
        progress = { running: true, checked: 0, total: store.count() };
        try {
          const { reach: _reach, ...report } = await verifyChain(source, { onProgress: (checked) => (progress = { ...progress, checked }) });
          return report;
        } finally {
          progress = { ...progress, running: false };
          running = null;
        }
      })();
      return running;
    };

    const trailTable = async (filter: Parameters<AuditStore['readable']>[0]) =>
      auditTable(await store.readable(filter), 'Audit trail', `audit-trail-${new Date(clock()).toISOString().slice(0, 10)}`);

    return {
      on: {
        transition: () => soon(sealFullBlocks),
        created: () => soon(sealFullBlocks),
        change: (change) => {
          append(change);
          // A change may come with rows of a declared table (a comment).
          soon(sealFullBlocks);
        },
      },
      stop: () => {
        try {
          coverage.declare();
          transaction(() => {
            const blocks = Math.ceil(sealer.sealAll(BLOCKS_AT_CLOSE) / BLOCK_SIZE);
            records.sealAll(Math.max(0, BLOCKS_AT_CLOSE - blocks));
          });
        } catch (error) {
          log(`Could not seal the last events into the audit trail at close (the next start will): ${(error as Error).message}`);
        }
      },
      authorize: ({ channel, call }) => {
        // An item's own history is part of its record: whoever may open the item may read it.
        if (channel.startsWith('audit.') && channel !== 'audit.itemHistory' && !call.canAdminister) {
          throw new AppError('FORBIDDEN', 'Only an administrator can read the audit trail; ask an admin to sign in.');
        }
      },
      handlers: {
        'audit.list': ({ limit, offset, ...filter }) => store.page(filter, limit, offset),
        'audit.facets': () => store.facets(),
        'audit.verify': async () => {
          await sealed();
          // Not a wait for this connection: the walk reads on the worker, and another administrator's
          // check may be running (this call then waits for that one, which needs the connection
          // between its pages: waiting while holding it, the two calls would wait for each other).
          return storage.released(verify);
        },
        'audit.verifyProgress': () => progress,
        'audit.exportCsv': async (filter) => {
          const table = await trailTable(filter);
          return { fileName: csvFileName(table), content: tableCsv(table), rows: table.rows.length };
        },
        'audit.exportTable': (filter) => trailTable(filter),
        'audit.itemHistory': ({ itemId }) => store.itemHistory(itemId),
      },
    };
  },
});
