import Database from 'better-sqlite3';
import { join } from 'node:path';
import { expect, test } from './fixtures';

/**
 * A screen that cannot render shows a message with a way on, never a blank window. What breaks it
 * here is real data: an item row whose metadata was damaged in the database (a value that is not
 * text), which the item view cannot display.
 */
test('a render error shows a recoverable message with reload, and the rest of the app keeps working', async ({ app, harness, shot }) => {
  const created = await app.evaluate(() =>
    window.api['workItems.create']({ title: 'Damaged record', workflowId: 'template:standard', submit: true, metadata: { workOrder: 'WO-1' } }),
  );
  expect(created).toMatchObject({ ok: true });
  const setMetadata = (json: string) => {
    const db = new Database(join(harness.dataDir, 'aviation-workflow.sqlite'));
    db.prepare('update work_items set metadata_json = ? where id = 1').run(json);
    db.close();
  };
  setMetadata('{"workOrder":{"damaged":true}}');
  const warnings: string[] = [];
  app.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));

  await app.goto(`${harness.url}#/items/1`);
  const alert = app.getByRole('alert').filter({ hasText: 'This screen could not be shown' });
  await expect(alert).toBeVisible();
  // The built app's React names the error by number: #31 is an object rendered as text.
  await expect(alert).toContainText('React error #31');
  // The window around it still works: navigation, and the dashboard lists the item.
  await expect(app.getByRole('navigation', { name: 'Main' })).toBeVisible();
  expect(warnings.join('\n')).toContain('A screen failed to render');
  await shot('error-boundary');

  await alert.getByRole('link', { name: 'Go to the dashboard' }).click();
  await expect(app.getByRole('table', { name: 'Work items' })).toContainText('Damaged record');
  await expect(app.getByText('This screen could not be shown')).toHaveCount(0);

  // Repaired, a reload shows the item.
  await app.goto(`${harness.url}#/items/1`);
  await expect(alert).toBeVisible();
  setMetadata('{"workOrder":"WO-1"}');
  await alert.getByRole('button', { name: 'Reload' }).click();
  await expect(app.getByRole('heading', { name: 'Damaged record' })).toBeVisible();
  await expect(app.getByText('WO-1')).toBeVisible();
});
