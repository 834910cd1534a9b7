import '@mantine/charts/styles.css';
import { Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { apiFor, core } from '../../../src/renderer/src/api/client';
import { useQuery } from '../../../src/renderer/src/hooks/useQuery';
import type { reportsContract } from '../contract';
import { saveTable, type ExportFormat } from '../../../src/renderer/src/components/TableExport';
import type { ReportTable } from './csvTables';
import { FilterBar, type Filters } from './FilterBar';
import { DAY, fileSafe, isoDay, rangeProblem } from './format';
import { BottleneckPanel } from './panels/BottleneckPanel';
import { CycleTimePanel } from './panels/CycleTimePanel';
import { OverduePanel } from './panels/OverduePanel';
import { RejectionRatePanel } from './panels/RejectionRatePanel';
import { ThroughputPanel } from './panels/ThroughputPanel';
import { UserActivityPanel } from './panels/UserActivityPanel';
import { ReportsProgress } from './ReportsProgress';

const reports = apiFor<typeof reportsContract>();
const never = () => new Promise<never>(() => {});

/** The Analytics tab: one filter bar over six reports, each computed by the core off its main thread. */
export function Analytics() {
  const [filters, setFilters] = useState<Filters>(() => ({
    from: isoDay(Date.now() - 29 * DAY),
    to: isoDay(Date.now()),
    bucket: 'day',
    workflowId: null,
    department: null,
  }));
  const { from, to, bucket, workflowId, department } = filters;

  const workflows = useQuery(() => core('workflows.list', {}), []);
  const templates = useMemo(() => {
    const seen = new Map<string, string>();
    for (const w of workflows.data ?? []) if (!seen.has(w.id)) seen.set(w.id, w.label);
    return workflows.data && [...seen].map(([value, label]) => ({ value, label }));
  }, [workflows.data]);
  const departments = useQuery(() => reports('reports.departments', {}), []);
  const templateLabel = templates?.find((o) => o.value === workflowId)?.label ?? 'All templates';

  const rangeError = rangeProblem(from, to);
  const byTemplate = workflowId ? { workflowId } : {};
  const byDepartment = department ? { department } : {};
  const range = { from, to, ...byTemplate };
  // A report waits (never resolves) while the range is invalid; its panel says why.
  const ranged = <T,>(load: () => Promise<T>) => (rangeError ? never() : load());

  const throughput = useQuery(() => ranged(() => reports('reports.throughput', { ...range, bucket })), [from, to, bucket, workflowId, rangeError]);
  const bottlenecks = useQuery(() => reports('reports.bottlenecks', { ...byTemplate, ...byDepartment }), [workflowId, department]);
  const overdue = useQuery(
    () => ranged(() => reports('reports.overdueOverTime', { ...range, ...byDepartment, bucket })),
    [from, to, bucket, workflowId, department, rangeError],
  );
  const cycle = useQuery(() => ranged(() => reports('reports.cycleTime', { ...range, ...byDepartment })), [from, to, workflowId, department, rangeError]);
  const rejections = useQuery(() => ranged(() => reports('reports.rejectionRate', { ...range, ...byDepartment })), [from, to, workflowId, department, rangeError]);
  const activity = useQuery(() => ranged(() => reports('reports.userActivity', range)), [from, to, workflowId, rangeError]);

  const running = [throughput, bottlenecks, overdue, cycle, rejections, activity];
  const ready = running.filter((q) => !q.loading).length;

  const suffix = [from, 'to', to, workflowId && fileSafe(workflowId), department && fileSafe(department)].filter(Boolean).join('-');
  const saveAs = (report: string, baseName: string, table: ReportTable, format: ExportFormat) =>
    void saveTable({ title: report.replace(/-/g, ' '), baseName, ...table }, format);
  const save = (report: string, table: ReportTable, format: ExportFormat) => saveAs(report, `${report}-${suffix}`, table, format);
  const saveNow = (report: string, table: ReportTable, format: ExportFormat) => {
    const stamp = (bottlenecks.data?.asOf ?? new Date().toISOString()).slice(0, 16).replace(/[T:]/g, '-');
    saveAs(report, `${report}-${[stamp, workflowId && fileSafe(workflowId), department && fileSafe(department)].filter(Boolean).join('-')}`, table, format);
  };
  const blocked = rangeError;

  return (
    <Stack gap="lg">
      <Text size="sm" c="dimmed">
        Throughput, waiting and overdue items, time at each department, rejections and who did what, from the transition history. Dates are UTC days,
        both ends included.
      </Text>
      <FilterBar
        filters={filters}
        onChange={(patch) => setFilters((f) => ({ ...f, ...patch }))}
        rangeError={rangeError}
        templates={templates}
        departments={departments.data}
        // With a bad range most reports wait for the dates; the panels say so.
        status={rangeError ? null : <ReportsProgress ready={ready} total={running.length} />}
      />
      <ThroughputPanel query={throughput} blocked={blocked} save={save} bucket={bucket} templateLabel={templateLabel} department={department} />
      <BottleneckPanel query={bottlenecks} save={saveNow} />
      <OverduePanel query={overdue} blocked={blocked} save={save} bucket={bucket} />
      <CycleTimePanel query={cycle} blocked={blocked} save={save} />
      <RejectionRatePanel query={rejections} blocked={blocked} save={save} />
      <UserActivityPanel query={activity} blocked={blocked} save={save} department={department} />
    </Stack>
  );
}
