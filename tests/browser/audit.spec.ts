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
  // A header row, the first run's three departments and template, what the comments module declares
  // for the trail (its coverage), and the five changes above.
  await expect(table.getByRole('row')).toHaveCount(11);
  await expect(table).toContainText('Settings file defaults');
  await expect(table).toContainText('Quality Control → Quality Assurance');
  await expect(table).toContainText('Pump fitted, leak check done');
  await settings.screenshot({ path: join(screenshotDir, 'audit-list.png'), fullPage: true, animations: 'disabled' });

  await settings.getByRole('combobox', { name: 'What' }).click();
  await settings.getByRole('option', { name: 'Department' }).click();
  await expect(table.getByRole('row')).toHaveCount(6);
  await expect(settings.getByText('5 entries match, newest first')).toBeVisible();

  // The item's two events are listed from their own rows; checking the chain seals them into one block
  // entry (#9), and the comment's row into another (#10).
  await settings.getByRole('button', { name: 'Verify audit trail' }).click();
  await expect(settings.getByRole('status')).toContainText(
    'All 10 entries check out, with the 2 work-item events and the 1 record (e-signatures, comments…) their blocks seal',
  );
  await settings.getByRole('button', { name: 'Clear' }).click();
  await expect(table.getByRole('row', { name: /Pump fitted/ }).getByRole('cell').first()).toHaveText('9');
  await settings.screenshot({ path: join(screenshotDir, 'audit-verified.png'), fullPage: true, animations: 'disabled' });

  // Someone with the database file drops the trigger and rewrites who renamed the department.
  const db = new Database(join(harness.dataDir, 'aviation-workflow.sqlite'));
  // …and a comment's text and a sealed event's comment, with their triggers dropped too.
  db.exec(`drop trigger audit_log_no_update; update audit_log set actor_name = 'Ann Inspector' where seq = 7;
    drop trigger comments_text_kept; update comments set text = 'Seal kit from stores, batch 4472' where id = 1;
    update transition_events set comment = 'Pump fitted' where seq = 2;`);
  db.close();

  await settings.getByRole('button', { name: 'Verify audit trail' }).click();
  const alert = settings.getByRole('alert');
  await expect(alert).toContainText('Audit trail broken: 3 problems, the first at entry #7.');
  const problems = alert.getByRole('list', { name: 'Problems found' }).getByRole('listitem');
  await expect(problems).toHaveText([
    /#7 · content altered\s*Entry #7 was changed after it was written: its content no longer matches its hash\./,
    /#9 · row changed\s*transition_events item 1 seq 2: comment is not what was sealed \(it reads 'Pump fitted' now; sealed by entry #9\)\./,
    /^differs from the trail\s*comments row 1: text is 'Seal kit from stores, batch 4472' but the audit trail's last recorded value is 'Seal kit from stores, batch 4471' \(entry #6\)\./,
  ]);
  // The list shows the rows as the file now holds them, the entry and the event that fail marked.
  const broken = table.locator('tr[aria-invalid="true"]');
  await expect(broken).toHaveCount(2);
  await expect(broken.first()).toContainText('Fails check');
  await expect(table.getByRole('row', { name: /Ann Inspector.*Department .*\(QC\)/ })).toHaveAttribute('aria-invalid', 'true');
  await expect(table.getByRole('row', { name: /Approved/ })).toHaveAttribute('aria-invalid', 'true');
  await settings.screenshot({ path: join(screenshotDir, 'audit-broken.png'), fullPage: true, animations: 'disabled' });
});

test('many problems are shown a handful at a time, with how many more', async ({ app, harness }) => {
  await app.evaluate(async () => {
    const ok = <T,>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    };
    ok(await window.api['operator.set']({ name: 'Ann Inspector' }));
    const item = ok(await window.api['workItems.create']({ title: 'Borescope inspection, engine 2', workflowId: 'template:standard', submit: true }));
    for (let i = 1; i <= 12; i++) ok(await window.api['comments.add']!({ itemId: item.id, text: `Blade ${i} inspected, no damage` }));
  });
  await app.goto(`${harness.url}#/settings/audit`);
  await app.getByRole('button', { name: 'Verify audit trail' }).click();
  await expect(app.getByRole('status')).toContainText('check out');

  const db = new Database(join(harness.dataDir, 'aviation-workflow.sqlite'));
  db.exec(`drop trigger comments_text_kept; update comments set text = 'Blade inspected' where id <= 12;`);
  db.close();
  await app.getByRole('button', { name: 'Verify audit trail' }).click();
  const alert = app.getByRole('alert');
  await expect(alert).toContainText('Audit trail broken: 12 problems.');
  await expect(alert).toContainText('of the chain check out: the rows named were changed in their tables after the trail recorded them.');
  const problems = alert.getByRole('list', { name: 'Problems found' }).getByRole('listitem');
  await expect(problems).toHaveCount(5);
  await expect(alert).toContainText('… and 7 more.');
  for (const [w, h] of [[1280, 800], [1024, 700]] as const) {
    await app.setViewportSize({ width: w, height: h });
    await alert.scrollIntoViewIfNeeded();
    await app.screenshot({ path: join(screenshotDir, `audit-problems-${w}x${h}.png`), animations: 'disabled' });
  }
  await alert.getByRole('button', { name: 'Show 5 more' }).click();
  await expect(problems).toHaveCount(10);
  await expect(alert).toContainText('… and 2 more.');
  await alert.getByRole('button', { name: 'Show 2 more' }).click();
  await expect(problems).toHaveCount(12);
  await expect(alert.getByRole('button', { name: /Show/ })).toHaveCount(0);
  await expect(problems.last()).toContainText("comments row 12: text is 'Blade inspected' but the audit trail's last recorded value is 'Blade 12 inspected, no damage'");
});

test('an empty filter result says so', async ({ app, harness }) => {
  await app.goto(`${harness.url}#/settings/audit`);
  // A new log holds the first run's departments and template, and the comments module's coverage.
  await expect(app.getByRole('table', { name: 'Audit entries' }).getByRole('row')).toHaveCount(6);
  await app.getByLabel('From').fill('2020-01-01');
  await app.getByLabel('To').fill('2020-01-31');
  await expect(app.getByText('No entries match these filters')).toBeVisible();
  await app.screenshot({ path: join(screenshotDir, 'audit-empty.png'), fullPage: true, animations: 'disabled' });
});
