import Database from 'better-sqlite3';
import { join } from 'node:path';
import { expect, screenshotDir, test } from './fixtures';

/** The audit panel in the settings window: real changes, filters, verify OK, then a tampered file. */
test('the audit trail lists changes, filters them, and verify finds a tampered entry', async ({ app, harness }) => {
  await app.evaluate(async () => {
    const ok = <T,>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    };
    ok(await window.api['operator.set']({ name: 'Ann Inspector' }));
    const item = ok(await window.api['workItems.create']({ title: 'Replace hydraulic pump, system B', workflowId: 'template:standard', submit: true }));
    ok(await window.api['workItems.approve']({ id: item.id, expectedVersion: item.version, comment: 'Pump fitted, leak check done' }));
    ok(await window.api['comments.add']!({ itemId: item.id, text: 'Seal kit from stores, batch 4471' }));
    ok(await window.api['operator.set']({ name: 'Sam Admin' }));
    ok(await window.api['departments.rename']!({ id: 2, name: 'Quality Assurance' }));
    ok(await window.api['departments.create']!({ name: 'Stores', code: 'STO' }));
  });

  const settings = app;
  await settings.goto(`${harness.url}#/settings/audit`);
  await expect(settings.getByRole('heading', { name: 'Audit trail' })).toBeVisible();
  const table = settings.getByRole('table', { name: 'Audit entries' });
  // A header row, the first run's three departments and template, and the five changes above.
  await expect(table.getByRole('row')).toHaveCount(10);
  await expect(table).toContainText('Settings file defaults');
  await expect(table).toContainText('Quality Control → Quality Assurance');
  await expect(table).toContainText('Pump fitted, leak check done');
  await settings.screenshot({ path: join(screenshotDir, 'audit-list.png'), fullPage: true, animations: 'disabled' });

  await settings.getByRole('combobox', { name: 'What' }).click();
  await settings.getByRole('option', { name: 'Department' }).click();
  await expect(table.getByRole('row')).toHaveCount(6);
  await expect(settings.getByText('5 entries match, newest first')).toBeVisible();

  // The item's two events are listed from their own rows; checking the chain seals them into one block entry (#8).
  await settings.getByRole('button', { name: 'Verify audit trail' }).click();
  await expect(settings.getByRole('status')).toContainText('All 8 entries check out, with the 2 work-item events their blocks seal');
  await settings.getByRole('button', { name: 'Clear' }).click();
  await expect(table.getByRole('row', { name: /Pump fitted/ }).getByRole('cell').first()).toHaveText('8');
  await settings.screenshot({ path: join(screenshotDir, 'audit-verified.png'), fullPage: true, animations: 'disabled' });

  // Someone with the database file drops the trigger and rewrites who renamed the department.
  const db = new Database(join(harness.dataDir, 'aviation-workflow.sqlite'));
  db.exec(`drop trigger audit_log_no_update; update audit_log set actor_name = 'Ann Inspector' where seq = 6;`);
  db.close();

  await settings.getByRole('button', { name: 'Verify audit trail' }).click();
  const alert = settings.getByRole('alert');
  await expect(alert).toContainText('Audit trail broken at entry #6 (content altered)');
  await expect(alert).toContainText('Entry #6 was changed after it was written');
  // The list shows the row as the file now holds it, marked.
  const broken = table.locator('tr[aria-invalid="true"]');
  await expect(broken).toHaveCount(1);
  await expect(broken).toContainText('Fails check');
  await expect(broken).toContainText('Ann Inspector');
  await expect(broken).toContainText('Department QC');
  await settings.screenshot({ path: join(screenshotDir, 'audit-broken.png'), fullPage: true, animations: 'disabled' });
});

test('an empty filter result says so', async ({ app, harness }) => {
  await app.goto(`${harness.url}#/settings/audit`);
  // A new log holds the first run's departments and template.
  await expect(app.getByRole('table', { name: 'Audit entries' }).getByRole('row')).toHaveCount(5);
  await app.getByLabel('From').fill('2020-01-01');
  await app.getByLabel('To').fill('2020-01-31');
  await expect(app.getByText('No entries match these filters')).toBeVisible();
  await app.screenshot({ path: join(screenshotDir, 'audit-empty.png'), fullPage: true, animations: 'disabled' });
});
