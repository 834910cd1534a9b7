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

  // The choice belongs to the terminal: it is still there after a reload.
  await app.reload();
  await expect(mine.getByRole('row')).toHaveCount(3);

  await mine.getByRole('row', { name: /Borescope/ }).click();
  await expect(app).toHaveURL(/#\/items\/1$/);
});
