import { defineModule, type RecordedChange } from '../../src/core/modules/types';
import { AppError } from '../../src/shared/errors';
import { highestIssuedQuery, pageQuery, storedEntry, verifyChain, type ChainSource, type EntryRow, type VerifyResult } from './chain';
import { auditContract, type VerifyProgress } from './contract';
import { auditCsv } from './csv';
import { creationEntry, transitionEntry, type EventEntry } from './record';
import { AuditStore, selectEntries } from './store';

export default defineModule({
  name: 'audit',
  version: '0.1.0',
  description: 'An append-only, hash-chained audit trail of every change: transitions, items, comments, configuration, sign-ins.',
  hasMigrations: true,
  // So the first run's departments and templates, seeded as those modules start, are recorded.
  startsFirst: true,
  contract: auditContract,
  setup({ db, clock, background, transaction }) {
    const store = new AuditStore(db);
    // Joins the change's transaction; alone (a change reported outside one) it still reads the last hash and appends atomically.
    const append = (change: RecordedChange, eventSeq?: number) => transaction(() => store.append(change, eventSeq));
    const appendFor = ({ change, eventSeq }: EventEntry) => append(change, eventSeq);

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
        transition: (t) => appendFor(transitionEntry(t)),
        created: (c) => appendFor(creationEntry(c)),
        change: append,
      },
      authorize: ({ channel, call }) => {
        if (channel.startsWith('audit.') && !call.canAdminister) {
          throw new AppError('FORBIDDEN', 'Only an administrator can read the audit trail; ask an admin to sign in.');
        }
      },
      handlers: {
        'audit.list': ({ limit, offset, ...filter }) => store.page(filter, limit, offset),
        'audit.facets': () => store.facets(),
        'audit.verify': () => verify(),
        'audit.verifyProgress': () => progress,
        'audit.exportCsv': async (filter) => {
          const rows = (await background.all<EntryRow>(selectEntries(filter, 'oldest'))).map(storedEntry);
          return { fileName: `audit-trail-${new Date(clock()).toISOString().slice(0, 10)}.csv`, content: auditCsv(rows), rows: rows.length };
        },
      },
    };
  },
});
