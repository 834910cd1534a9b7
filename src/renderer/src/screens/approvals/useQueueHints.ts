import type { ItemHints, TransitionHint, WorkItem } from '../../../../shared/types';
import { core } from '../../api/client';
import { useQuery } from '../../hooks/useQuery';

const NONE: ItemHints[] = [];

/**
 * What the person here may do with each item on a queue's page, as the core says (its permission
 * rules, the e-signature, the engine). An item's hints count only for the version they were read
 * at: until they match the row, the row offers no action.
 */
export function useQueueHints(rows: readonly WorkItem[]): (item: WorkItem, action: TransitionHint['action']) => TransitionHint | undefined {
  const ids = rows.map((r) => r.id);
  const key = rows.map((r) => `${r.id}:${r.version}`).join(',');
  const hints = useQuery(() => (ids.length ? core('workItems.hints', { ids }) : Promise.resolve(NONE)), [key], { items: ids });
  const byId = new Map((hints.data ?? NONE).map((h) => [h.id, h]));
  return (item, action) => {
    const found = byId.get(item.id);
    return found?.version === item.version ? found.hints.find((h) => h.action === action) : undefined;
  };
}
