import type { Priority } from './types';

/** Pushed from main (or the harness) to every window after any write, so screens refresh themselves. */
export const CHANGED_EVENT = 'app:changed';
/** Sent as the changed channel when the core was restarted underneath the page: reload. */
export const RESTARTED_EVENT = 'app:restarted';
/** Sent as the changed channel when a site terminal's connection to its server changed: read terminal.state again. */
export const CONNECTION_EVENT = 'terminal:connection';
/** Sent as the changed channel after a terminal missed events it cannot replay: re-read everything. */
export const RESYNC_EVENT = 'app:resync';

/** An item that has just arrived at a step (a department's queue): its members are told. */
export interface Arrival {
  itemId: number;
  title: string;
  priority: Priority;
  /** The step's name: a department's name when departments are on. */
  step: string;
}

/**
 * What changed: the command's channel and the work items it touched, so a screen re-reads only
 * what is affected. `items` empty: it touched no item (or the core cannot say), so anything may
 * have changed. `seq` numbers a site server's events, so a terminal that reconnects can ask for
 * what it missed.
 */
export interface ChangeEvent {
  channel: string;
  items: number[];
  arrivals: Arrival[];
  seq?: number;
}

/** An event that is not about data: a restart, a terminal's connection, a resync. */
export const hostEvent = (channel: string): ChangeEvent => ({ channel, items: [], arrivals: [] });
