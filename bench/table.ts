import { cpus } from 'node:os';

interface Row {
  label: string;
  value: string;
  target?: string;
  ok?: boolean;
}

type Results = Record<string, unknown> & {
  items: number;
  transition_ops_per_s: number;
  raw_floor_ops_per_s: number;
  transition_vs_floor: number;
  transition_median_ms: number;
  transition_p99_ms: number;
  transition_max_ms: number;
  transitions_over_10ms: number[];
  approvals_mine_p95_ms: number;
  approvals_all_p95_ms: number;
  template_filter_p95_ms: number;
  template_filter_max_ms: number;
  overdue_list_p95_ms: number;
  raw_floor_median_ms: number;
  transition_cpu_ms_per_op: number;
  transition_deferred_max_ms: number;
  raw_floor_cpu_ms_per_op: number;
  load_average_1m: number;
  raw_floor_p99_ms: number;
  raw_floor_max_ms: number;
  raw_floor_over_10ms: number;
  queue_list_median_ms: number;
  queue_list_p95_ms: number;
  counts_median_ms: number;
  counts_p95_ms: number;
  search_median_ms: number;
  search_p95_ms: number;
  search_p95_ms_by_kind: Record<string, number>;
  report_ms: number;
  report_max_stall_ms: number;
  year_reports_ms: Record<string, number>;
  year_reports_max_stall_ms: number;
  startup_ms: number;
  startup_cpu_ms: number;
  rss_after_startup_mb: number;
  rss_after_report_mb: number;
  rss_mb: number;
  db_mb: number;
  audit_measured_events: number | null;
  audit_bytes_per_event: number | null;
  audit_projected_mb: number | null;
  db_with_audit_trail_mb: number | null;
  renderer_js_kb: number | null;
  renderer_first_paint_js_kb: number | null;
  renderer_first_paint_js_gzip_kb: number | null;
  renderer_largest_chunk_kb: number | null;
  renderer_chunks: number | null;
};

/** The results as a readable table, each with its target at 1M items where it has one. */
export function printTable(r: Results): void {
  const rows: Row[] = [
    { label: 'transition', value: `${r.transition_ops_per_s} ops/s, median ${r.transition_median_ms} ms, p99 ${r.transition_p99_ms} ms`, target: 'p99 < 2 ms', ok: r.transition_p99_ms < 2 },
    {
      label: 'transition: slowest call',
      value: `${r.transition_max_ms} ms; ${r.transitions_over_10ms.length} over 10 ms${r.transitions_over_10ms.length ? ` (calls ${r.transitions_over_10ms.slice(0, 8).join(', ')}${r.transitions_over_10ms.length > 8 ? ', …' : ''})` : ''}`,
      target: '< 10 ms',
      ok: r.transition_max_ms < 10,
    },
    { label: 'raw_floor', value: `${r.raw_floor_ops_per_s} ops/s, median ${r.raw_floor_median_ms} ms, p99 ${r.raw_floor_p99_ms} ms` },
    // The disk's own tail: a bare two-row commit in the same run. A slowest call near it is the disk's, not the app's.
    { label: 'raw_floor: slowest write', value: `${r.raw_floor_max_ms} ms; ${r.raw_floor_over_10ms} over 10 ms` },
    { label: 'CPU per write (app / raw)', value: `${r.transition_cpu_ms_per_op} / ${r.raw_floor_cpu_ms_per_op} ms` },
    // The audit and reports records made after the transitions, a batch at a time: the longest a call could wait behind them.
    { label: 'deferred records: longest turn', value: `${r.transition_deferred_max_ms} ms`, target: '< 50 ms', ok: r.transition_deferred_max_ms < 50 },
    { label: 'transition / raw_floor', value: r.transition_vs_floor.toFixed(3), target: '≥ 0.80', ok: r.transition_vs_floor >= 0.8 },
    { label: 'queue_list (page)', value: `median ${r.queue_list_median_ms} ms, p95 ${r.queue_list_p95_ms} ms`, target: 'p95 < 10 ms', ok: r.queue_list_p95_ms < 10 },
    { label: 'queue_list (dashboard counts)', value: `median ${r.counts_median_ms} ms, p95 ${r.counts_p95_ms} ms`, target: 'p95 < 10 ms', ok: r.counts_p95_ms < 10 },
    { label: 'Approvals (my departments)', value: `p95 ${r.approvals_mine_p95_ms} ms`, target: 'p95 < 5 ms', ok: r.approvals_mine_p95_ms < 5 },
    { label: 'Approvals (all departments)', value: `p95 ${r.approvals_all_p95_ms} ms`, target: 'p95 < 5 ms', ok: r.approvals_all_p95_ms < 5 },
    { label: 'dashboard: template filter', value: `p95 ${r.template_filter_p95_ms} ms, max ${r.template_filter_max_ms} ms`, target: 'p95 < 10 ms', ok: r.template_filter_p95_ms < 10 },
    { label: 'dashboard: overdue list', value: `p95 ${r.overdue_list_p95_ms} ms`, target: 'p95 < 5 ms', ok: r.overdue_list_p95_ms < 5 },
    { label: 'search (first page)', value: `median ${r.search_median_ms} ms, p95 ${r.search_p95_ms} ms`, target: 'p95 < 50 ms', ok: r.search_p95_ms < 50 },
    ...Object.entries(r.search_p95_ms_by_kind).map(([kind, p95]) => ({ label: `  search: ${kind}`, value: `p95 ${p95} ms` })),
    { label: 'report (cycle time, all items)', value: `${r.report_ms} ms`, target: '< 1000 ms', ok: r.report_ms < 1000 },
    { label: 'report: longest event-loop stall', value: `${r.report_max_stall_ms} ms`, target: '< 50 ms', ok: r.report_max_stall_ms < 50 },
    ...Object.entries(r.year_reports_ms).map(([name, ms]) => ({ label: `  over a year: ${name}`, value: `${ms} ms` })),
    { label: '  their longest stall', value: `${r.year_reports_max_stall_ms} ms`, target: '< 50 ms', ok: r.year_reports_max_stall_ms < 50 },
    { label: 'startup (all default modules)', value: `${r.startup_ms} ms (${r.startup_cpu_ms} ms CPU)`, target: '< 300 ms', ok: r.startup_ms < 300 },
    { label: 'rss (after startup / report)', value: `${r.rss_after_startup_mb} / ${r.rss_after_report_mb} MB`, target: '< 250 MB', ok: r.rss_mb < 250 },
    { label: 'database size', value: `${r.db_mb} MB`, target: '< 1536 MB', ok: r.db_mb < 1536 },
    ...(r.audit_bytes_per_event === null
      ? []
      : [
          {
            label: '  + a full audit trail',
            value: `~${r.audit_projected_mb} MB more (${r.audit_bytes_per_event} bytes per event, as the ${r.audit_measured_events} events the writes sealed added them, × every event)`,
          },
          // The synthetic history is not in the trail; a real database of this size would hold it.
          {
            label: '  database with that trail',
            value: `~${r.db_with_audit_trail_mb} MB`,
            target: '< 1536 MB',
            ok: (r.db_with_audit_trail_mb ?? 0) < 1536,
          },
        ]),
    {
      label: 'renderer JS',
      value:
        r.renderer_js_kb === null
          ? 'not built'
          : `${r.renderer_js_kb} kB in ${r.renderer_chunks} chunks; first paint ${r.renderer_first_paint_js_kb} kB (${r.renderer_first_paint_js_gzip_kb} kB gzip); largest ${r.renderer_largest_chunk_kb} kB`,
    },
  ];
  const width = Math.max(...rows.map((row) => row.label.length));
  const valueWidth = Math.max(...rows.map((row) => row.value.length));
  console.log(`\nResults at ${r.items.toLocaleString('en')} items (targets are for 1,000,000); load average ${r.load_average_1m} on ${cpus().length} cores\n`);
  for (const row of rows) {
    const verdict = row.ok === undefined ? '' : row.ok ? 'ok  ' : 'MISS';
    console.log(`${row.label.padEnd(width)}  ${row.value.padEnd(valueWidth)}  ${verdict} ${row.target ?? ''}`.trimEnd());
  }
}
