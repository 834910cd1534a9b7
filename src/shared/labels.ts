import type { ItemStatus } from './types';

/** A status as people read it, on screen and in exported files. */
export const STATUS_LABEL: Record<ItemStatus, string> = {
  draft: 'Draft',
  active: 'In progress',
  completed: 'Completed',
  cancelled: 'Cancelled',
};
