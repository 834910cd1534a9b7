import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../support/parseCsv';
import { expect, screenshotDir, test } from './fixtures';

/** Each screen with data in it, its empty state, and an error state — screenshots for review. */
test('every screen renders with seeded data', async ({ app, harness, shot }) => {
  await app.evaluate(async () => {
    const make = async (title: string, extra: Record<string, unknown>, approvals: number) => {
      const created = await window.api['workItems.create']({ title, workflowId: 'template:standard', submit: true, ...extra });
      if (!created.ok) throw new Error(created.error.message);
      let item = created.value;
      for (let i = 0; i < approvals; i++) {
        const r = await window.api['workItems.approve']({ id: item.id, expectedVersion: item.version });
        if (!r.ok) throw new Error(r.error.message);
        item = r.value;
      }
    };
    await make('Replace hydraulic pump, system B', { priority: 'urgent', metadata: { aircraftRegistration: 'G-EZTH', workOrder: 'WO-2026-0101' } }, 0);
    await make('Cabin emergency lighting test', { metadata: { aircraftRegistration: 'G-EZUK' } }, 1);
    await make('Landing gear lubrication', { metadata: { ataChapter: '32' } }, 2);
    await make('Wheel and brake change, #3', {}, 3);
  });

  await app.reload();
  await expect(app.getByRole('table', { name: 'Work items' }).getByRole('row')).toHaveCount(5);
  await shot('dashboard');

  await app.getByRole('link', { name: 'Create item' }).click();
  await app.getByRole('button', { name: 'Submit' }).click();
  await expect(app.getByText('A title is required')).toBeVisible();
  await shot('create-item-validation');

  await app.getByRole('link', { name: 'Approvals' }).click();
  await expect(app.getByRole('table', { name: 'Approval queue' }).getByRole('row')).toHaveCount(4);
  await shot('approvals');

  await app.getByRole('link', { name: 'Reports' }).click();
  await expect(app.getByLabel('Waiting per department')).toContainText('Engineering');
  await shot('reports');

  await app.getByRole('link', { name: 'Departments' }).click();
  const departments = app.getByRole('table', { name: 'Departments' });
  await expect(departments).toContainText('Quality Control');
  await expect(departments).toContainText('OPS');
  await shot('departments');

  await app.goto(`${harness.url}#/items/999`);
  await expect(app.getByRole('alert')).toContainText('Work item #999 does not exist');
  await shot('item-not-found');
});

test('empty queue and reports say so', async ({ app, shot }) => {
  await app.getByRole('link', { name: 'Approvals' }).click();
  await expect(app.getByText('No items are waiting for approval.')).toBeVisible();
  await shot('approvals-empty');
  await app.getByRole('link', { name: 'Reports' }).click();
  await expect(app.getByText('No data yet')).toBeVisible();
});

test('text with HTML or script in it shows as text', async ({ app, harness }) => {
  const title = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
  const created = await app.evaluate(async (t) => {
    await window.api['departments.create']!({ name: '<i>Eng</i>', code: 'HTML' } as never);
    return window.api['workItems.create']({ title: t, description: '<b>bold?</b>', steps: [{ name: '<i>Eng</i>' }], submit: true });
  }, title);
  expect(created).toMatchObject({ ok: true });
  await app.goto(`${harness.url}#/items/1`);
  await expect(app.getByRole('heading', { name: title })).toBeVisible();
  await expect(app.getByText('<b>bold?</b>')).toBeVisible();
  expect(await app.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

test('an item past its step target shows as overdue on the dashboard and in the queue', async ({ app, harness, shot }) => {
  await app.evaluate(async () => {
    await window.api['workItems.create']({ title: 'Hydraulic leak check', steps: [{ name: 'Engineering', targetHours: 8 }, { name: 'Quality Control' }], submit: true });
    await window.api['workItems.create']({ title: 'Fresh task', steps: [{ name: 'Engineering', targetHours: 8 }], submit: true });
  });
  // Ten hours pass for the first item (the harness runs on the real clock, so move its arrival back).
  const db = new Database(join(harness.dataDir, 'aviation-workflow.sqlite'));
  db.prepare('update work_items set step_entered_at = ? where id = 1').run(Date.now() - 10 * 3_600_000);
  db.close();

  await app.reload();
  await expect(app.getByRole('group', { name: 'Overdue' })).toContainText('1');
  const table = app.getByRole('table', { name: 'Work items' });
  await expect(table.getByRole('row', { name: /Hydraulic leak check/ })).toContainText('Overdue');
  await expect(table.getByRole('row', { name: /Fresh task/ })).not.toContainText('Overdue');
  await app.getByRole('button', { name: /^Overdue/ }).click();
  await expect(table.getByRole('row')).toHaveCount(2);
  await shot('dashboard-overdue');

  await app.getByRole('link', { name: 'Approvals' }).click();
  await expect(app.getByRole('table', { name: 'Approval queue' }).getByRole('row', { name: /Hydraulic leak check/ })).toContainText('Overdue');
});

test('the dashboard exports the filtered list to CSV', async ({ app }) => {
  await app.evaluate(async () => {
    await window.api['workItems.create']({ title: 'Seal, "left" gear', workflowId: 'template:standard', submit: true, metadata: { aircraftRegistration: 'G-EZTH' } });
    await window.api['workItems.create']({ title: 'Draft only', workflowId: 'template:standard' });
  });
  await app.reload();
  await app.getByRole('radiogroup', { name: 'Filter by status' }).getByText('In progress').click();
  await expect(app.getByRole('table', { name: 'Work items' }).getByRole('row')).toHaveCount(2);
  const downloading = app.waitForEvent('download');
  await app.getByRole('button', { name: 'Export CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^work-items-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}\.csv$/);
  const rows = parseCsv(readFileSync(await download.path(), 'utf8'));
  expect(rows).toHaveLength(2);
  expect(rows[1]![1]).toBe('Seal, "left" gear');
  expect(rows[1]![rows[0]!.indexOf('Aircraft registration')]).toBe('G-EZTH');
});

test("an item's full record prints from its print view", async ({ app, harness, shot }) => {
  await app.evaluate(async () => {
    const c = await window.api['workItems.create']({ title: 'Replace pitot probe, captain side', workflowId: 'template:standard', submit: true, metadata: { aircraftRegistration: 'G-EZTH', ataChapter: '34' } });
    if (!c.ok) throw new Error(c.error.message);
    const a = await window.api['workItems.approve']({ id: c.value.id, expectedVersion: c.value.version, comment: 'Part number verified' });
    if (!a.ok) throw new Error(a.error.message);
    await window.api['comments.add']!({ itemId: c.value.id, text: 'Probe heater tested OK' });
  });
  await app.goto(`${harness.url}#/items/1`);
  await app.getByRole('button', { name: 'Print record' }).click();
  await expect(app).toHaveURL(/#\/items\/1\/print$/);
  await expect(app.locator('body[data-print-ready="true"]')).toBeAttached();
  await expect(app.getByRole('table', { name: 'Steps' })).toContainText('Hangar operator');
  const timeline = app.getByRole('table', { name: 'Timeline' });
  await expect(timeline).toContainText('Approved at Engineering, moved to Quality Control');
  await expect(timeline).toContainText('Part number verified');
  await expect(timeline).toContainText('Probe heater tested OK');
  await expect(app.getByLabel('Sign-off record')).toContainText('Approved at Engineering');
  await shot('item-print-view');
  const pdf = await app.pdf({ format: 'A4', printBackground: true });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  writeFileSync(join(screenshotDir, 'item-record.pdf'), pdf);
});
