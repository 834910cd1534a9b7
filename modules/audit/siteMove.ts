import type { SiteMoveDeclarations } from '../../src/core/db/pg/move/checks';
import { fileChainSource, hasAuditLog, unsealedEvents, unsealedRows } from './fileSource';
import { chainSummary, HANDFUL, problemPlace, problemsHeadline } from './problems';
import { verifyChain } from './verify';

const entries = (n: number) => `${n.toLocaleString('en')} ${n === 1 ? 'entry' : 'entries'}`;

/**
 * A site move (src/core/db/pg/move) checks the chain on the SQLite file before copying it, with the
 * same walk as audit:verify: a site whose trail is broken is not moved unless the person moving it
 * says so. The copied tables are then compared with the file's value by value by the move itself
 * (hashes as bytes, the hashed JSON as text), so the copy holds the chain checked here.
 */
export const sourceCheck: SiteMoveDeclarations['sourceCheck'] = {
  name: 'audit chain',
  async run(sqlite, onProgress) {
    if (!hasAuditLog(sqlite)) return { ok: true, summary: 'no audit log in this database', details: [] };
    const total = Number(sqlite.prepare('select count(*) from audit_log').pluck().get());
    const result = await verifyChain(fileChainSource(sqlite), { listed: HANDFUL, onProgress: (checked) => onProgress(checked, total) });
    const notes = result.notes.map((note) => `Note: ${note}`);
    if (result.ok) {
      const waiting = [
        ...(unsealedEvents(sqlite) > 0 ? [`${unsealedEvents(sqlite).toLocaleString('en')} work-item events`] : []),
        ...unsealedRows(sqlite, result.reach).map(({ table, rows }) => `${rows.toLocaleString('en')} ${table} rows`),
      ];
      return {
        ok: true,
        summary: `intact: ${entries(result.entries)}, the last #${result.lastSeq}, hash ${result.lastHash}.`,
        details: [...notes, ...(waiting.length ? [`Not in the chain yet (the app seals them when it next runs): ${waiting.join(', ')}.`] : [])],
      };
    }
    const rest = result.problemCount - result.problems.length;
    return {
      ok: false,
      summary: `BROKEN: ${problemsHeadline(result.problemCount, result.broken)}`,
      details: [
        ...result.problems.map((p) => `${problemPlace(p)}: ${p.message}`),
        ...(rest > 0 ? [`… and ${rest.toLocaleString('en')} more (npm run audit:verify -- --all lists every one).`] : []),
        chainSummary(result),
        ...notes,
      ],
    };
  },
};
