import Database from 'better-sqlite3';
import { join } from 'node:path';
import { expect, test } from './fixtures';

/** The dashboard's short lists: what waits at this terminal's departments, and what is overdue. */
test('a terminal chooses its departments and sees what waits there; overdue items are listed', async ({ app, harness, shot }) => {
  const myList = app.getByRole('region', { name: 'Waiting at my departments' });
  await expect(myList).toContainText('Which departments work here?');
  await expect(app.getByRole('region', { name: 'Overdue' })).toContainText('Nothing overdue');
  await shot('dashboard-empty');

  await app.evaluate(async () => {
    const make = async (title: string, extra: Record<string, unknown>, approvals: number) => {
      const created = await window.api['workItems.create']({ title, submit: true, ...extra });
      if (!created.ok) throw new Error(created.error.message);
      let item = created.value;
      for (let i = 0; i < approvals; i++) {
        const r = await window.api['workItems.approve']({ id: item.id, expectedVersion: item.version });
        if (!r.ok) throw new Error(r.error.message);
        item = r.value;
      }
    };
    const steps = [{ name: 'Engineering', targetHours: 8 }, { name: 'Quality Control', targetHours: 4 }, { name: 'Operations' }];
    await make('Borescope inspection, engine 2', { steps, metadata: { aircraftRegistration: 'G-EZTH' } }, 1);
    await make('Replace cabin PSU lens', { steps, priority: 'urgent' }, 1);
    await make('Repaint registration marks', { steps }, 0);
    await make('Weight and balance report', { workflowId: 'template:standard' }, 2);
  });
  // The borescope item arrived at QC six hours ago: past QC's four target hours.
  const db = new Database(join(harness.dataDir, 'aviation-workflow.sqlite'));
  db.prepare('update work_items set step_entered_at = ? where id = 1').run(Date.now() - 6 * 3_600_000);
  db.close();
  await app.reload();

  await app.getByRole('combobox', { name: 'My departments' }).click();
  await app.getByRole('option', { name: 'Quality Control' }).click();
  await app.keyboard.press('Escape');
  const mine = myList.getByRole('table', { name: 'Waiting at my departments' });
  // Urgent first, then the one waiting longest.
  await expect(mine.getByRole('row')).toHaveCount(3);
  await expect(mine.getByRole('row').nth(1)).toContainText('Replace cabin PSU lens');
  await expect(mine.getByRole('row').nth(2)).toContainText('Borescope inspection, engine 2');
  await expect(mine.getByRole('row').nth(2)).toContainText('6 h');
  await expect(mine).not.toContainText('Repaint registration marks');

  const overdue = app.getByRole('table', { name: 'Overdue' });
  await expect(overdue.getByRole('row')).toHaveCount(2);
  await expect(overdue).toContainText('Borescope inspection, engine 2');
  await shot('dashboard-lists');

  // The filters beyond status and search are folded away until asked for; one set from a card shows them.
  const allItems = app.getByRole('table', { name: 'Work items' });
  const overdueOnly = app.getByRole('checkbox', { name: 'Overdue only' });
  await expect(overdueOnly).toBeHidden();
  await app.getByRole('button', { name: 'Filters' }).click();
  await expect(overdueOnly).toBeVisible();
  await app.getByRole('button', { name: 'Filters' }).click();
  await expect(overdueOnly).toBeHidden();
  await app.getByTitle('Show only overdue items').click();
  await expect(overdueOnly).toBeChecked();
  await expect(allItems.getByRole('row')).toHaveCount(2);
  await app.getByRole('button', { name: 'Clear filters (1)' }).click();
  await expect(overdueOnly).not.toBeChecked();
  await expect(allItems.getByRole('row')).toHaveCount(5);

  // The choice belongs to the terminal: it is still there after a reload.
  await app.reload();
  await expect(mine.getByRole('row')).toHaveCount(3);

  await mine.getByRole('row', { name: /Borescope/ }).click();
  await expect(app).toHaveURL(/#\/items\/1$/);
});

/** A search matching very many items is counted only so far and listed newest first; the page says so. */
test('a search matching more than a thousand items shows "1,000+" and pages newest first', async ({ app, harness, shot }) => {
  await app.evaluate(async () => {
    const created = await window.api['workItems.create']({ title: 'Seed item', steps: [{ name: 'Engineering' }], submit: true });
    if (!created.ok) throw new Error(created.error.message);
  });
  const db = new Database(join(harness.dataDir, 'aviation-workflow.sqlite'));
  const insert = db.prepare(`insert into work_items (title, priority, status, current_step, current_step_name, workflow_id, metadata_json, created_by_id, created_by_name, created_at, updated_at, step_entered_at, version)
                             select ?, 'normal', 'active', 0, 'Engineering', workflow_id, '{}', 'u', 'Hangar operator', ?, ?, ?, 1 from work_items where id = 1`);
  const now = Date.now();
  db.transaction(() => {
    for (let i = 2; i <= 1200; i++) insert.run(`Pitot probe check ${i}`, now, now - i * 60_000, now);
  })();
  db.close();
  await app.reload();

  await app.getByRole('textbox', { name: 'Search work items' }).fill('pitot probe');
  await expect(app.getByText('1,000+ items match, newest first.')).toBeVisible();
  await expect(app.getByText('Newest items first (very many match)')).toBeVisible();
  const rows = app.getByRole('table', { name: 'Work items' }).getByRole('row');
  await expect(rows.nth(1)).toContainText('Pitot probe check 1200');
  await shot('dashboard-search-many-matches');
  // A narrower search is counted exactly and listed by last change again.
  await app.getByRole('textbox', { name: 'Search work items' }).fill('pitot probe check 11');
  await expect(app.getByText('111 items')).toBeVisible();
  await expect(app.getByText('Most recently changed first')).toBeVisible();
});
