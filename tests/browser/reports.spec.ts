import { readFileSync } from 'node:fs';
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
  await expect(app.getByText('Choose a valid date range above.')).toHaveCount(3);
  await expect(app.getByRole('button', { name: 'Export throughput as CSV' })).toBeDisabled();
  await shot('analytics-bad-range');
});
