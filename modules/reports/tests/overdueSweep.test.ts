import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkItem } from '../../../src/shared/types';
import { startApp, type TempApp } from '../../../tests/support/tempApp';
import type { OverduePoint } from '../contract';
import { bucketsCte, DAY, departmentFilter, HOUR, rangeMs, stepNamesCte, workflowFilter, type Filters } from '../queries/shared';

/**
 * overdueOverTime counts in one pass, from the stays counted per day (report_overdue_days). This
 * checks it against the plain definition (every bucket's instant compared with every stay, as
 * it was first written) on random histories whose times fall on whole hours, so stays begin,
 * fall due and end exactly at the instants as well as between them.
 */
const apps: TempApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));
const H = HOUR;
const T0 = Date.parse('2026-03-02T00:00:00Z');

/**
 * The stays whose time at a step with target hours overlaps [start, end) (entered before end,
 * left after start or not yet), as `timed(due_at, left_at)`: due_at = entered_at + target.
 * The reference's stays, read one by one (the report reads them counted per day). Finished
 * stays come from report_stays; the stay an item is in now is its current step in
 * work_items (step_entered_at, current_target_hours: what the core's overdue flag reads), with
 * left_at null. Partial sign-offs neither start nor end a stay in either.
 */
const timedStaysCte = (start: number, end: number, filters: Filters) => sql`
  ${stepNamesCte},
  timed as (
    select s.left_at - s.ms + n.target_hours * ${HOUR} as due_at, s.left_at
    from report_stays s
    join step_names n on n.workflow_id = s.workflow_id and n.step_index = s.step_index
    where n.target_hours is not null and s.left_at > ${start} and s.left_at - s.ms + n.target_hours * ${HOUR} < ${end}
      ${filters.workflowId ? sql`and n.template_id = ${filters.workflowId}` : sql``}
      ${departmentFilter(sql`n.department`, filters.department)}
    union all
    select wi.due_at, null
    from work_items wi
    join workflow_snapshots ws on ws.id = wi.workflow_id
    where wi.status = 'active' and wi.current_step is not null and wi.due_at < ${end}
      ${workflowFilter(filters.workflowId)} ${departmentFilter(sql`wi.current_step_name`, filters.department)}
  )`;

function reference(file: string, now: number, input: { from: string; to: string; bucket: 'day' | 'week' } & Filters): OverduePoint[] {
  const { start, end } = rangeMs(input.from, input.to);
  const step = input.bucket === 'week' ? 7 * DAY : DAY;
  const sqlite = new Database(file, { readonly: true });
  try {
    const rows = drizzle(sqlite).all<{ start: string; at: number; overdue: number }>(sql`
      with recursive ${bucketsCte(input)},
      instants as (
        select start, min(unixepoch(start) * 1000 + ${step}, ${end}, ${now}) as at from buckets
        where max(unixepoch(start) * 1000, ${start}) < ${now}
      ),
      ${timedStaysCte(start, end, input)}
      select i.start, i.at, count(t.due_at) as overdue
      from instants i left join timed t on t.due_at < i.at and (t.left_at is null or t.left_at > i.at)
      group by i.start, i.at order by i.start`);
    return rows.map((r) => ({ start: r.start, at: new Date(r.at).toISOString(), overdue: r.overdue }));
  } finally {
    sqlite.close();
  }
}

/** A seeded random history over three weeks: items through steps with 4, 8, 24 and no target hours. */
async function randomHistory(seed: number, midway?: (t: TempApp, now: number, file: string) => Promise<void>) {
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  let now = T0;
  const t = startApp({ clock: () => now });
  apps.push(t);
  await t.call('departments.create', { name: 'Stores', code: 'STR' });
  const steps = [{ name: 'Engineering', targetHours: 8 }, { name: 'Quality Control', targetHours: 4 }, { name: 'Operations', targetHours: 24 }, { name: 'Stores' }];
  const items: WorkItem[] = [];
  let paused = false;
  for (let hour = 0; hour < 21 * 24; hour += 1 + Math.floor(random() * 6)) {
    now = T0 + hour * H;
    if (midway && !paused && hour >= 9 * 24 + 13) {
      paused = true;
      await midway(t, now, join(t.dataDir, 'aviation-workflow.sqlite'));
    }
    if (random() < 0.4) items.push(await t.call<WorkItem>('workItems.create', { title: `Item ${hour}`, steps, submit: true }));
    const open = items.filter((i) => i.status === 'active');
    const item = open[Math.floor(random() * open.length)];
    if (!item) continue;
    const roll = random();
    const index = items.indexOf(item);
    if (roll < 0.6) items[index] = await t.call<WorkItem>('workItems.approve', { id: item.id, expectedVersion: item.version });
    else if (roll < 0.85 && item.currentStep! > 0) items[index] = await t.call<WorkItem>('workItems.reject', { id: item.id, expectedVersion: item.version, toStep: 0, comment: 'Again' });
    else if (roll < 0.9) items[index] = await t.call<WorkItem>('workItems.cancel', { id: item.id, expectedVersion: item.version });
  }
  return { t, now, file: join(t.dataDir, 'aviation-workflow.sqlite') };
}

describe('overdue items over time, counted in one pass', () => {
  it('agrees with comparing every instant with every stay, for days and weeks, filters, ranges cut by now', async () => {
    for (const seed of [1, 7, 42]) {
      // Mid-history (the rest has not happened yet), so the last instant is cut to now and later buckets are left out.
      let checkedMidway = false;
      const { t, now, file } = await randomHistory(seed, async (app, midNow, midFile) => {
        const input = { from: '2026-03-01', to: '2026-03-25', bucket: 'day' as const };
        expect(await app.call<OverduePoint[]>('reports.overdueOverTime', input)).toEqual(reference(midFile, midNow, input));
        const weekly = { ...input, bucket: 'week' as const, department: 'Quality Control' };
        expect(await app.call<OverduePoint[]>('reports.overdueOverTime', weekly)).toEqual(reference(midFile, midNow, weekly));
        checkedMidway = true;
      });
      expect(checkedMidway).toBe(true);
      const inputs = [
        { from: '2026-03-01', to: '2026-03-25', bucket: 'day' as const },
        { from: '2026-03-02', to: '2026-03-22', bucket: 'week' as const },
        { from: '2026-02-20', to: '2026-03-10', bucket: 'week' as const },
        { from: '2026-03-05', to: '2026-03-12', bucket: 'day' as const, department: 'Quality Control' },
        { from: '2026-03-10', to: '2026-03-10', bucket: 'day' as const },
      ];
      let nonZero = 0;
      for (const input of inputs) {
        const got = await t.call<OverduePoint[]>('reports.overdueOverTime', input);
        expect(got, `seed ${seed}, ${JSON.stringify(input)}`).toEqual(reference(file, now, input));
        nonZero += got.filter((p) => p.overdue > 0).length;
      }
      expect(nonZero).toBeGreaterThan(5);
      // What the triggers kept, transition by transition, equals the migration's backfill from all the stays.
      const sqlite = new Database(file);
      try {
        const kept = () => sqlite.prepare('select * from report_overdue_days where due <> 0 or ended <> 0 order by 1, 2, 3').all();
        const live = kept();
        expect(live.length).toBeGreaterThan(5);
        const backfill = readFileSync(join(import.meta.dirname, '..', 'migrations', '0002_overdue_days.sql'), 'utf8')
          .split('--> statement-breakpoint')
          .find((statement) => statement.includes('INSERT INTO `report_overdue_days`') && !statement.includes('TRIGGER'))!;
        sqlite.exec(`delete from report_overdue_days; ${backfill}`);
        expect(kept()).toEqual(live);
      } finally {
        sqlite.close();
      }
    }
  });
});
