/**
 * At start-up: items that moved while this module was switched off have their old step's
 * assignment ended now, on record, as the start-up's (SYSTEM) change.
 *
 * Setup is synchronous until modules start asynchronously (issue 17): this runs on ctx.transaction
 * and ctx.db (SQLite only), with the store's own statements (store.ts), not through the port.
 */
import type { ModuleContext } from '../../src/core/modules/api';
import type { Actor } from '../../src/shared/types';
import { changeWrites, isCurrent, staleEnd } from './changes';
import { assignmentDelete, everyAssignment, historyInsert, type AssignmentRow } from './store';

/** Who the start-up clean-up is recorded against. */
const SYSTEM: Actor = { id: 'module:assignments', name: 'Assignments (at start-up)' };

export function endStaleAssignments({ db, transaction, workItems, recordChange, clock }: ModuleContext<unknown>): void {
  transaction(() => {
    for (const row of db.all<AssignmentRow>(everyAssignment)) {
      const item = workItems.get(row.itemId);
      if (!item || isCurrent(row, item)) continue;
      const { history, feed } = changeWrites(item, staleEnd(row, item), SYSTEM, clock());
      db.run(historyInsert(history));
      db.run(assignmentDelete({ itemId: item.id }));
      recordChange(feed, SYSTEM);
    }
  });
}
