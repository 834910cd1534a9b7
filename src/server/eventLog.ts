import { randomUUID } from 'node:crypto';
import type { ChangeEvent } from '../shared/events';

/** Events kept for terminals that reconnect; one further back gets a resync. */
const KEEP_EVENTS = 10_000;

type Sequenced = ChangeEvent & { seq: number };

/**
 * The server's change events, numbered. A terminal that reconnects says the last number it saw and
 * gets what came after, or, if that is no longer kept or from before a restart (another epoch),
 * is told to re-read everything.
 */
export function eventLog() {
  const epoch = randomUUID();
  const kept: Sequenced[] = [];
  let seq = 0;
  const listeners = new Set<(event: Sequenced) => void>();
  return {
    epoch,
    get seq() {
      return seq;
    },
    publish(event: ChangeEvent): void {
      const numbered = { ...event, seq: ++seq };
      kept.push(numbered);
      if (kept.length > KEEP_EVENTS) kept.splice(0, kept.length - KEEP_EVENTS);
      for (const listener of listeners) listener(numbered);
    },
    /** The events after `since`, or null when they cannot all be given. */
    since(sinceEpoch: string, since: number): Sequenced[] | null {
      if (sinceEpoch !== epoch || since > seq) return null;
      if (since === seq) return [];
      const first = kept[0];
      if (!first || first.seq > since + 1) return null;
      return kept.slice(since + 1 - first.seq);
    },
    subscribe(listener: (event: Sequenced) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
export type EventLog = ReturnType<typeof eventLog>;
