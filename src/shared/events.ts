/** Pushed from main (or the harness) to every window after any write, so screens refresh themselves. */
export const CHANGED_EVENT = 'app:changed';
/** Sent as the changed channel when the core was restarted underneath the page: reload. */
export const RESTARTED_EVENT = 'app:restarted';
