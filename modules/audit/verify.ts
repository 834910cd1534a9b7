import { BLOCK_ENTITY, blockSummary, sealedEvent, statedSummary, type BlockSummary, type EventRow, type SealedEvent } from './blocks';
import { entryHash, GENESIS_HASH, type StoredEntry } from './chain';

/**
 * The walk that checks every link of the chain, shared by the module and the command-line check
 * (cli.ts), and for a block entry the events it seals. README.md defines it for auditors.
 */

export type BreakKind = 'content-altered' | 'link-broken' | 'missing';

export interface ChainBreak {
  /** The first entry where the chain does not hold (for missing entries: the first one missing). */
  seq: number;
  kind: BreakKind;
  message: string;
}

export type VerifyResult =
  /** `events`: work items' events checked in the block entries among them. */
  | { ok: true; entries: number; events: number; lastSeq: number; lastHash: string }
  | { ok: false; entries: number; broken: ChainBreak };

/** Where the walk reads entries from: the module's background reader, or the CLI's connection. */
export interface ChainSource {
  /** Entries with seq > afterSeq, in seq order, at most `limit`. */
  page(afterSeq: number, limit: number): Promise<StoredEntry[]> | StoredEntry[];
  /** The highest seq SQLite ever gave out (sqlite_sequence), to notice entries cut off the end. */
  highestIssued(): Promise<number> | number;
  /** transition_events rows with ids from first to last, in id order (the eventRange query). */
  events(first: number, last: number): Promise<EventRow[]> | EventRow[];
}

export const PAGE_SIZE = 2000;
/** Events read at once for the block entries of a page: blocks are read together up to this span of ids. */
const EVENT_SPAN = 10_000;


const range = (from: number, to: number) => (from === to ? `Entry #${from} is` : `Entries #${from}–#${to} are`);

/** Checks one entry against the one before it; null when it holds. */
export function checkEntry(entry: StoredEntry, previous: { seq: number; hash: string }): ChainBreak | null {
  if (entry.seq !== previous.seq + 1) {
    const first = previous.seq + 1;
    return { seq: first, kind: 'missing', message: `${range(first, entry.seq - 1)} missing: the log jumps from #${previous.seq} to #${entry.seq}.` };
  }
  if (entryHash(entry.prevHash, entry) !== entry.hash) {
    const what =
      entry.eventSeq == null
        ? 'its content'
        : `its content, or the ${entry.action === 'created' ? 'item and first event' : 'transition'} it records (event #${entry.eventSeq} of item #${entry.entityId} in transition_events),`;
    return { seq: entry.seq, kind: 'content-altered', message: `Entry #${entry.seq} was changed after it was written: ${what} no longer matches its hash.` };
  }
  if (entry.prevHash !== previous.hash) {
    return {
      seq: entry.seq,
      kind: 'link-broken',
      message:
        entry.seq === 1
          ? 'Entry #1 does not start the chain: its previous hash should be all zeros.'
          : `Entry #${entry.seq} does not link to entry #${previous.seq}: #${previous.seq} was rewritten (its hash recomputed) or replaced.`,
    };
  }
  return null;
}

/** Checks that a block entry's events are still what it sealed; null when they are. */
export function checkBlock(entry: StoredEntry, stated: BlockSummary | null, events: SealedEvent[]): ChainBreak | null {
  const altered = (message: string): ChainBreak => ({ seq: entry.seq, kind: 'content-altered', message });
  if (!stated) return altered(`Entry #${entry.seq} is a block entry whose after_json does not say which events it seals: it was forged.`);
  const { firstEventId: first, lastEventId: last } = stated;
  if (entry.firstEventId !== first || entry.lastEventId !== last) {
    return altered(`Entry #${entry.seq} seals events #${first}–#${last}, but its first/last event columns were changed to say otherwise.`);
  }
  const now = blockSummary(first, last, events);
  if (now.count !== stated.count) {
    return altered(
      `Entry #${entry.seq} sealed ${stated.count} events, #${first}–#${last} of transition_events; ${now.count} are there now: events were ${now.count < stated.count ? 'deleted' : 'added'}.`,
    );
  }
  if (now.digest !== stated.digest) {
    return altered(`Entry #${entry.seq} seals events #${first}–#${last} of transition_events: one of them, or the item it belongs to, was changed after it was sealed.`);
  }
  return null;
}

/** The events of the page's block entries, read in a few spans rather than a block at a time. */
async function blockEvents(source: ChainSource, blocks: BlockSummary[]): Promise<Map<BlockSummary, SealedEvent[]>> {
  const out = new Map<BlockSummary, SealedEvent[]>();
  for (let i = 0; i < blocks.length; ) {
    const start = blocks[i]!.firstEventId;
    let j = i + 1;
    while (j < blocks.length && blocks[j]!.lastEventId - start < EVENT_SPAN && blocks[j]!.firstEventId >= blocks[j - 1]!.firstEventId) j++;
    const span = blocks.slice(i, j);
    const end = Math.max(...span.map((b) => b.lastEventId));
    const rows = (await source.events(start, end)).map(sealedEvent);
    // Rows and blocks are both in id order: each block's rows start at or after the previous block's.
    let from = 0;
    for (const b of span) {
      while (from < rows.length && rows[from]!.eventId < b.firstEventId) from++;
      let to = from;
      while (to < rows.length && rows[to]!.eventId <= b.lastEventId) to++;
      out.set(b, rows.slice(from, to));
    }
    i = j;
  }
  return out;
}

/**
 * Walks the whole chain in pages and returns the first break, or the count and the last hash
 * (which an auditor can note down: a later check must reach it). `onProgress` gets the count so far.
 */
export async function verifyChain(source: ChainSource, onProgress?: (checked: number) => void): Promise<VerifyResult> {
  let previous = { seq: 0, hash: GENESIS_HASH };
  let entries = 0;
  let events = 0;
  for (;;) {
    const page = await source.page(previous.seq, PAGE_SIZE);
    const stated = new Map(page.filter((e) => e.entity === BLOCK_ENTITY).map((e) => [e, statedSummary(e.afterJson)] as const));
    const sealed = await blockEvents(source, [...stated.values()].filter((s): s is BlockSummary => s !== null));
    for (const entry of page) {
      const broken = checkEntry(entry, previous);
      if (broken) return { ok: false, entries, broken };
      if (stated.has(entry)) {
        const summary = stated.get(entry) ?? null;
        const blockBroken = checkBlock(entry, summary, (summary && sealed.get(summary)) ?? []);
        if (blockBroken) return { ok: false, entries, broken: blockBroken };
        events += summary!.count;
      }
      previous = { seq: entry.seq, hash: entry.hash };
      entries++;
    }
    onProgress?.(entries);
    if (page.length < PAGE_SIZE) {
      const issued = await source.highestIssued();
      // Entries written while we walked are read in the next round; only a real gap ends here.
      if (issued <= previous.seq || (await source.page(previous.seq, 1)).length === 0) {
        if (issued > previous.seq) {
          const first = previous.seq + 1;
          return { ok: false, entries, broken: { seq: first, kind: 'missing', message: `${range(first, issued)} missing from the end of the log.` } };
        }
        return { ok: true, entries, events, lastSeq: previous.seq, lastHash: previous.hash };
      }
    }
  }
}
