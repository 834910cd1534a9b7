import type { Locator, Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../support/parseCsv';
import { expect, test } from './fixtures';

/** The reports module's Analytics screen over a few items seeded through the real API. */
test('analytics shows throughput, time per department and rejection rates, filters by template and exports CSV', async ({ app, shot }) => {
  await app.evaluate(async () => {
    const ok = <T,>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    };
    const run = async (create: Record<string, unknown>, actions: ('approve' | { reject: number })[]) => {
      let item = ok(await window.api['workItems.create']({ title: 'Seeded', submit: true, ...create } as never));
      for (const a of actions) {
        const base = { id: item.id, expectedVersion: item.version };
        item = ok(
          a === 'approve'
            ? await window.api['workItems.approve'](base)
            : await window.api['workItems.reject']({ ...base, toStep: a.reject, comment: 'Missing torque values' }),
        );
      }
    };
    const standard = { workflowId: 'template:standard' };
    await run(standard, ['approve', 'approve', 'approve']);
    await run(standard, ['approve', 'approve', 'approve']);
    // Rejected at QC back to Engineering, then on to Operations where it waits.
    await run(standard, ['approve', { reject: 0 }, 'approve', 'approve']);
    // A department whose name needs quoting in CSV.
    ok(await window.api['departments.create']!({ name: 'Hangar, Bay "2"', code: 'BAY2' } as never));
    await run({ steps: [{ name: 'Engineering' }, { name: 'Hangar, Bay "2"' }] }, ['approve', 'approve']);
  });

  await app.getByRole('link', { name: 'Reports' }).click();
  await app.getByRole('tab', { name: 'Analytics' }).click();
  await expect(app).toHaveURL(/#\/reports\/analytics$/);
  const today = new Date().toISOString().slice(0, 10);

  const completed = app.getByRole('table', { name: 'Items completed' });
  await expect(completed.getByRole('row').filter({ hasText: today })).toContainText('3');

  const cycle = app.getByRole('table', { name: 'Cycle time per department' });
  const stays = (department: string) => cycle.getByRole('row').filter({ hasText: department }).getByRole('cell').nth(1);
  await expect(stays('Engineering')).toHaveText('5');
  await expect(stays('Quality Control')).toHaveText('4');
  await expect(stays('Operations')).toHaveText('2');
  await expect(stays('Hangar, Bay "2"')).toHaveText('1');

  const perDepartment = app.getByRole('table', { name: 'Rejection rate per department' });
  const deptRow = (name: string) => perDepartment.getByRole('row').filter({ hasText: name });
  await expect(deptRow('Quality Control')).toHaveText(/Quality Control3125\.0%/);
  await expect(deptRow('Engineering')).toHaveText(/Engineering500\.0%/);
  const perTemplate = app.getByRole('table', { name: 'Rejection rate per template' });
  await expect(perTemplate.getByRole('row').filter({ hasText: 'Custom steps' })).toHaveCount(2);
  await expect(perTemplate.getByRole('row').filter({ hasText: 'Standard' }).filter({ hasText: 'Quality Control' })).toContainText('25.0%');
  await shot('analytics');

  // CSV: BOM, header, a quoted department name with a comma and quotes in it.
  const [download] = await Promise.all([app.waitForEvent('download'), app.getByRole('button', { name: 'Export cycle time as CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^cycle-time-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync((await download.path())!, 'utf8');
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  const lines = csv.slice(1).split('\r\n');
  expect(lines[0]).toBe('department,stays,median_hours,p90_hours');
  expect(lines.find((l) => l.startsWith('"Hangar'))).toMatch(/^"Hangar, Bay ""2""",1,/);

  // Only the Standard template.
  await app.getByRole('combobox', { name: 'Template' }).click();
  await app.getByRole('option', { name: 'Standard' }).click();
  await expect(completed.getByRole('row').filter({ hasText: today })).toContainText('2');
  await expect(cycle.getByRole('row').filter({ hasText: 'Hangar' })).toHaveCount(0);
  await expect(deptRow('Engineering')).toHaveText(/Engineering400\.0%/);

  await app.getByText('Per week', { exact: true }).click();
  await expect(app.getByRole('radio', { name: 'Per week' })).toBeChecked();
  await expect(completed.getByRole('columnheader', { name: 'Week starting' })).toBeVisible();
  await shot('analytics-standard-weekly');
});

test('analytics says when there is nothing, and when the dates are the wrong way round', async ({ app, shot }) => {
  await app.getByRole('link', { name: 'Reports' }).click();
  await app.getByRole('tab', { name: 'Analytics' }).click();
  await expect(app.getByText('No items were completed between these dates.')).toBeVisible();
  await expect(app.getByText('No item finished a step between these dates.')).toBeVisible();
  await expect(app.getByRole('button', { name: 'Export cycle time as CSV' })).toBeDisabled();
  await shot('analytics-empty');

  await app.getByLabel('From').fill('2099-01-01');
  await expect(app.getByRole('alert')).toHaveText('The start date is after the end date');
  await expect(app.getByText('Choose a valid date range above.')).toHaveCount(5);
  await expect(app.getByRole('button', { name: 'Export throughput as CSV' })).toBeDisabled();
  await shot('analytics-bad-range');
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const todayStart = () => Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
/** The UTC day `k` days before today, YYYY-MM-DD. */
const daysAgo = (k: number) => new Date(todayStart() - k * DAY).toISOString().slice(0, 10);

/**
 * Moves an item's history into the past: its events (in order) get the given times, in hours
 * relative to 00:00 UTC today. The harness runs on the real clock, so this is how a test gets
 * items that have waited for days. The item's own timestamps follow its events.
 */
function backdate(dataDir: string, itemId: number, hours: number[]) {
  const db = new Database(join(dataDir, 'aviation-workflow.sqlite'));
  const times = hours.map((h) => todayStart() + h * HOUR);
  db.transaction(() => {
    const events = db.prepare('select count(*) as n from transition_events where item_id = ?').get(itemId) as { n: number };
    if (events.n !== times.length) throw new Error(`item ${itemId} has ${events.n} events, not ${times.length}`);
    times.forEach((at, i) => db.prepare('update transition_events set at = ? where item_id = ? and seq = ?').run(at, itemId, i + 1));
    db.prepare('update work_items set created_at = ?, updated_at = ?, step_entered_at = ? where id = ?').run(times[0], times.at(-1), times.at(-1), itemId);
    // The reports module derived the item's stays and counted its events at the times they had:
    // forget those and move its marks back, so the next report derives them again.
    db.prepare('delete from report_stays where item_id = ?').run(itemId);
    db.prepare('update report_stays_sync set last_event_id = min(last_event_id, (select min(id) - 1 from transition_events where item_id = ?))').run(itemId);
    db.exec('delete from report_decision_days; delete from report_activity_periods; update report_counts_sync set last_event_id = 0');
  })();
  db.close();
}

/**
 * Eight items by three people, four of them moved into the past (hours relative to 00:00 UTC
 * today). X = Engineering (target 8 h) → Quality Control (target 4 h) → Operations.
 *
 *   1 Hydraulic leak check  X         at ENG since −72: overdue from −64
 *   2 Borescope inspection  X         created −40, approved by Bob at −30: at QC, overdue from −26
 *   3 Cabin lights          X         approved by Cat now: at QC, not overdue
 *   4 Tyre change           standard  at ENG since −50 (no target)
 *   5 Fuel pump             X         created −100, approved −90, −60, −59 (completed); overdue at QC from −86 to −60
 *   6 Gear swing            X         approved now, rejected back to ENG by Bob now
 *   7 Seat track            standard  cancelled by Cat now
 *   8 Wiring loom           standard  a draft, submitted by Cat now: at ENG
 *
 * Overdue at the end of each day (end of yesterday = 0): 5 days ago (−96) none; 4 days ago
 * (−72) Fuel pump; 3 days ago (−48) Leak check; 2 days ago (−24), yesterday and now: Leak
 * check and Borescope.
 */
async function seedWaitingItems(app: Page, dataDir: string) {
  await app.evaluate(async () => {
    const ok = <T,>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    };
    type Item = { id: number; version: number };
    const as = async (name: string) => ok(await window.api['operator.set']({ name }));
    const X = { steps: [{ name: 'Engineering', targetHours: 8 }, { name: 'Quality Control', targetHours: 4 }, { name: 'Operations' }] };
    const standard = { workflowId: 'template:standard' };
    const create = async (title: string, how: Record<string, unknown>, submit = true): Promise<Item> => ok(await window.api['workItems.create']({ title, submit, ...how } as never));
    const approve = async (item: Item, times = 1) => {
      for (let i = 0; i < times; i++) item = ok(await window.api['workItems.approve']({ id: item.id, expectedVersion: item.version }));
      return item;
    };
    const leak = await create('Hydraulic leak check', X);
    const bore = await create('Borescope inspection', X);
    const cabin = await create('Cabin lights', X);
    await create('Tyre change', standard);
    await approve(await create('Fuel pump', X), 3);
    const gear = await approve(await create('Gear swing', X));
    const seat = await create('Seat track', standard);
    const wiring = await create('Wiring loom', standard, false);
    if ([leak, bore, cabin, gear, seat, wiring].map((i) => i.id).join() !== '1,2,3,6,7,8') throw new Error('unexpected item ids');

    await as('Bob Engineer');
    await approve(bore);
    ok(await window.api['workItems.reject']({ id: gear.id, expectedVersion: gear.version, toStep: 0, comment: 'Swing test not recorded' }));
    await as('Cat Inspector');
    await approve(cabin);
    ok(await window.api['workItems.cancel']({ id: seat.id, expectedVersion: seat.version, comment: 'Duplicate' }));
    ok(await window.api['workItems.submit']({ id: wiring.id, expectedVersion: wiring.version }));
    await as('Hangar operator');
  });
  backdate(dataDir, 1, [-72]);
  backdate(dataDir, 2, [-40, -30]);
  backdate(dataDir, 4, [-50]);
  backdate(dataDir, 5, [-100, -90, -60, -59]);
  await app.reload();
}

/** "82.8 h" or "4.1 d" as hours. */
const shownHours = (text: string) => {
  const [, n, unit] = text.match(/^([\d.]+) (h|d)$/) ?? [];
  if (!n) throw new Error(`not a duration: ${text}`);
  return Number(n) * (unit === 'd' ? 24 : 1);
};
const cells = async (row: Locator) => (await row.getByRole('cell').allInnerTexts()).map((t) => t.trim());

test('bottleneck steps, overdue items over time and activity per person, with the department and template filters', async ({ app, harness, shot }) => {
  await seedWaitingItems(app, harness.dataDir);
  await app.getByRole('link', { name: 'Reports' }).click();
  await app.getByRole('tab', { name: 'Analytics' }).click();
  // The first reports after a backdated history catch up on every stay on a worker: allow a loaded machine its time.
  await expect(app.getByText('All 6 reports up to date')).toBeVisible({ timeout: 30_000 });

  // Now: Engineering holds Leak check (72 h + today so far), Tyre change, Gear swing and Wiring loom; QC Borescope and Cabin lights.
  const bottlenecks = app.getByRole('table', { name: 'Bottleneck steps' });
  const steps = bottlenecks.getByRole('row');
  await expect(steps).toHaveCount(3);
  const [eng, qc] = [await cells(steps.nth(1)), await cells(steps.nth(2))];
  expect([eng[0], eng[1], eng[4]]).toEqual(['Engineering', '4', '1']);
  // The longest waits: 72 h and 30 h before today began, plus today so far.
  expect(shownHours(eng[3]!)).toBeGreaterThanOrEqual(72);
  expect(shownHours(eng[3]!)).toBeLessThan(96.1);
  expect([qc[0], qc[1], qc[4]]).toEqual(['Quality Control', '2', '1']);
  expect(shownHours(qc[3]!)).toBeGreaterThanOrEqual(30);
  expect(shownHours(qc[3]!)).toBeLessThan(54.1);

  const overdue = app.getByRole('table', { name: 'Overdue items per day' });
  const overdueOn = (day: string) => overdue.getByRole('row').filter({ hasText: day }).getByRole('cell').nth(1);
  await expect(overdueOn(daysAgo(5))).toHaveText('0');
  await expect(overdueOn(daysAgo(4))).toHaveText('1');
  await expect(overdueOn(daysAgo(3))).toHaveText('1');
  await expect(overdueOn(daysAgo(2))).toHaveText('2');
  await expect(overdueOn(daysAgo(1))).toHaveText('2');
  await expect(overdueOn(daysAgo(0))).toHaveText('2');

  const activity = app.getByRole('table', { name: 'Activity per person' });
  const people = activity.getByRole('row');
  await expect(people).toHaveCount(4);
  // Person, created, submitted, approved, sign-offs, rejected, cancelled, total.
  expect(await cells(people.nth(1))).toEqual(['Hangar operator', '8', '0', '4', '0', '0', '0', '12']);
  expect(await cells(people.nth(2))).toEqual(['Cat Inspector', '0', '1', '1', '0', '0', '1', '3']);
  expect(await cells(people.nth(3))).toEqual(['Bob Engineer', '0', '0', '1', '0', '1', '0', '2']);
  await shot('analytics-bottlenecks-overdue-activity');

  // CSV, built from what the core computed: ISO dates, one row per table row.
  const csvOf = async (button: string) => {
    const [download] = await Promise.all([app.waitForEvent('download'), app.getByRole('button', { name: button }).click()]);
    return { name: download.suggestedFilename(), rows: parseCsv(readFileSync((await download.path())!, 'utf8')) };
  };
  const bottleneckCsv = await csvOf('Export bottleneck steps as CSV');
  expect(bottleneckCsv.name).toMatch(/^bottlenecks-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}\.csv$/);
  expect(bottleneckCsv.rows[0]).toEqual(['department', 'waiting', 'median_wait_hours', 'longest_wait_hours', 'with_target', 'overdue', 'as_of (UTC)']);
  expect(bottleneckCsv.rows.map((r) => [r[0], r[1], r[4], r[5]]).slice(1)).toEqual([
    ['Engineering', '4', '2', '1'],
    ['Quality Control', '2', '2', '1'],
  ]);
  expect(bottleneckCsv.rows[1]![6]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  const activityCsv = await csvOf('Export activity per person as CSV');
  expect(activityCsv.rows).toEqual([
    ['person', 'person_id', 'created', 'submitted', 'approved', 'signoffs', 'rejected', 'cancelled', 'total'],
    ['Hangar operator', 'operator:hangar operator', '8', '0', '4', '0', '0', '0', '12'],
    ['Cat Inspector', 'operator:cat inspector', '0', '1', '1', '0', '0', '1', '3'],
    ['Bob Engineer', 'operator:bob engineer', '0', '0', '1', '0', '1', '0', '2'],
  ]);
  const overdueCsv = await csvOf('Export overdue items as CSV');
  expect(overdueCsv.rows[0]).toEqual(['date', 'counted_at (UTC)', 'overdue']);
  expect(overdueCsv.rows.at(-1)).toEqual([daysAgo(0), expect.stringMatching(new RegExp(`^${daysAgo(0)}T`)), '2']);
  expect(overdueCsv.rows.find((r) => r[0] === daysAgo(4))).toEqual([daysAgo(4), `${daysAgo(3)}T00:00:00.000Z`, '1']);

  // One department: the reports that can be limited to it are; throughput and activity say they are not.
  await app.getByRole('combobox', { name: 'Department' }).click();
  await app.getByRole('option', { name: 'Quality Control' }).click();
  await expect(steps).toHaveCount(2);
  expect((await cells(steps.nth(1))).slice(0, 2)).toEqual(['Quality Control', '2']);
  await expect(overdueOn(daysAgo(4))).toHaveText('1');
  await expect(overdueOn(daysAgo(3))).toHaveText('0');
  await expect(overdueOn(daysAgo(0))).toHaveText('1');
  await expect(app.getByRole('table', { name: 'Cycle time per department' }).getByRole('row')).toHaveCount(2);
  await expect(app.getByRole('region', { name: 'Throughput' }).getByText(/^All departments/)).toBeVisible();
  await expect(app.getByRole('region', { name: 'Activity per person' }).getByText(/^All departments/)).toBeVisible();
  await expect(people).toHaveCount(4);
  await shot('analytics-quality-control');

  // Standard only (and every department again): nothing there has a target.
  await app.getByRole('combobox', { name: 'Department' }).click();
  await app.getByRole('option', { name: 'Quality Control' }).click();
  await app.getByRole('combobox', { name: 'Template' }).click();
  await app.getByRole('option', { name: 'Standard' }).click();
  await expect(steps).toHaveCount(2);
  expect(await cells(steps.nth(1))).toEqual(['Engineering', '2', expect.any(String), expect.any(String), 'no target']);
  await expect(app.getByText('Nothing was overdue')).toBeVisible();
  await expect(app.getByRole('button', { name: 'Export overdue items as CSV' })).toBeEnabled();
});

test('the Analytics tab shows how far its reports have got, and a report that fails can be tried again', async ({ app, harness, shot }) => {
  await seedWaitingItems(app, harness.dataDir);
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await app.route('**/__api/reports.userActivity', async (route) => {
    await held;
    await route.continue();
  });
  await app.route('**/__api/reports.overdueOverTime', (route) =>
    route.fulfill({ json: { ok: false, error: { code: 'INTERNAL', message: 'The report could not be computed: the database is busy.' } } }),
  );
  await app.getByRole('link', { name: 'Reports' }).click();
  await app.getByRole('tab', { name: 'Analytics' }).click();

  await expect(app.getByRole('progressbar', { name: 'Reports: 5 of 6 ready' })).toBeVisible();
  await expect(app.getByText('Computing the last report…')).toBeVisible();
  const activityPanel = app.getByRole('region', { name: 'Activity per person' });
  await expect(activityPanel).toHaveAttribute('aria-busy', 'true');
  await expect(activityPanel.getByLabel('Loading')).toBeVisible();
  const overduePanel = app.getByRole('region', { name: 'Overdue items over time' });
  await expect(overduePanel.getByRole('alert')).toContainText('the database is busy');
  await shot('analytics-computing-and-error');

  release();
  await expect(app.getByText('All 6 reports up to date')).toBeVisible();
  await expect(app.getByRole('progressbar')).toHaveCount(0);
  await expect(app.getByRole('table', { name: 'Activity per person' }).getByRole('row')).toHaveCount(4);

  await app.unroute('**/__api/reports.overdueOverTime');
  await overduePanel.getByRole('button', { name: 'Try again' }).click();
  await expect(app.getByRole('table', { name: 'Overdue items per day' }).getByRole('row').filter({ hasText: daysAgo(0) })).toContainText('2');
});
