import { defineModule, type RecordedChange } from '../../src/core/modules/types';
import { AppError } from '../../src/shared/errors';
import { highestIssuedQuery, pageQuery, storedEntry, verifyChain, type ChainSource, type EntryRow, type VerifyResult } from './chain';
import { auditContract, type VerifyProgress } from './contract';
import { auditCsv } from './csv';
import { eventSealer, SEAL_BATCH } from './seal';
import { AuditStore, selectEntries } from './store';

export default defineModule({
  name: 'audit',
  version: '0.1.0',
  description: 'An append-only, hash-chained audit trail of every change: transitions, items, comments, configuration, sign-ins.',
  hasMigrations: true,
  // So the first run's departments and templates, seeded as those modules start, are recorded.
  startsFirst: true,
  contract: auditContract,
  setup({ db, clock, background, transaction, soon, log }) {
    const store = new AuditStore(db);
    const sealer = eventSealer(db, store);
    // Joins the change's transaction; alone (a change reported outside one) it still reads the last hash and appends atomically.
    const append = (change: RecordedChange) =>
      transaction(() => {
        sealer.sealAll();
        store.append(change);
      });
    // Shortly after transitions, in batches; a run that leaves some asks for another.
    const sealSoon = () => {
      if (!sealer.pending()) return;
      transaction(() => sealer.seal(SEAL_BATCH));
      if (sealer.pending()) soon(sealSoon);
    };
    /** Before the trail is read: every committed event is in it. */
    const sealed = () => {
      if (!sealer.pending()) return;
      const started = performance.now();
      const count = transaction(() => sealer.sealAll());
      if (count > SEAL_BATCH) log(`Sealed ${count} events into the audit trail in ${Math.round(performance.now() - started)} ms.`);
    };
    // Events committed while this module was off, or by a process without it, join the chain now.
    if (sealer.pending()) soon(sealSoon);

    // The walk reads on the worker thread, a page at a time, so the app answers while it runs.
    const source: ChainSource = {
      page: async (afterSeq, limit) => (await background.all<EntryRow>(pageQuery(afterSeq, limit))).map(storedEntry),
      highestIssued: async () => (await background.all<{ seq: number }>(highestIssuedQuery()))[0]?.seq ?? 0,
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
        transition: () => soon(sealSoon),
        created: () => soon(sealSoon),
        change: append,
      },
      authorize: ({ channel, call }) => {
        if (channel.startsWith('audit.') && !call.canAdminister) {
          throw new AppError('FORBIDDEN', 'Only an administrator can read the audit trail; ask an admin to sign in.');
        }
      },
      handlers: {
        'audit.list': ({ limit, offset, ...filter }) => {
          sealed();
          return store.page(filter, limit, offset);
        },
        'audit.facets': () => {
          sealed();
          return store.facets();
        },
        'audit.verify': () => {
          sealed();
          return verify();
        },
        'audit.verifyProgress': () => progress,
        'audit.exportCsv': async (filter) => {
          sealed();
          const rows = (await background.all<EntryRow>(selectEntries(filter, 'oldest'))).map(storedEntry);
          return { fileName: `audit-trail-${new Date(clock()).toISOString().slice(0, 10)}.csv`, content: auditCsv(rows), rows: rows.length };
        },
      },
    };
  },
});
