import { expect, test } from './fixtures';

/** Create item: the Standard template first (then the person's last), the title focused, long text counted and never cut. */
test('a pasted 20,000-character report is kept whole and refused with a count, not cut; the last template is offered next time', async ({ app, shot }) => {
  await app.evaluate(async () => {
    const r = await window.api['templates.create']!({ key: 'qc-inspection', name: 'QC inspection', steps: [{ department: 'QC' }, { department: 'OPS' }] });
    if (!r.ok) throw new Error(r.error.message);
  });
  await app.getByRole('link', { name: 'Create item' }).click();
  await expect(app.getByRole('heading', { name: 'New work item' })).toBeVisible();
  await expect(app.getByLabel('Title')).toBeFocused();
  await expect(app.getByRole('combobox', { name: 'Workflow' })).toHaveValue('Standard (v1)');
  await expect(app.getByLabel('Workflow steps')).toContainText('1. Engineering');

  await app.getByLabel('Title').fill('Hydraulic leak, left main gear bay');
  const report = 'Found hydraulic fluid on the left main gear bay floor during the walk-round. '.repeat(260).slice(0, 20_000);
  await app.getByLabel('Description').fill(report);
  await expect(app.getByLabel('Description')).toHaveValue(report); // nothing cut on the way in
  await expect(app.locator('#description-count')).toHaveText('20,000 / 10,000 characters — 10,000 too many');
  for (const [width, height] of [[1280, 800], [1024, 700]] as const) {
    await app.setViewportSize({ width, height });
    await shot(`create-item-too-long-${width}x${height}`);
  }
  await app.getByRole('button', { name: 'Submit' }).click();
  await expect(app.getByText('The description is 20,000 characters; the limit is 10,000. Shorten it by 10,000 — nothing was cut.')).toBeVisible();
  await expect(app.getByRole('heading', { name: 'New work item' })).toBeVisible(); // not saved, still here
  expect(await app.evaluate(async () => ((await window.api['workItems.counts']({})) as { ok: true; value: { byStatus: { active: number } } }).value.byStatus.active)).toBe(0);

  const kept = report.slice(0, 9_500).trimEnd(); // the core trims the ends, as it does every text
  await app.getByLabel('Description').fill(kept);
  await expect(app.locator('#description-count')).toHaveText(`${kept.length.toLocaleString('en')} / 10,000 characters`);
  await app.getByRole('combobox', { name: 'Workflow' }).click();
  await app.getByRole('option', { name: 'QC inspection (v1)' }).click();
  await app.getByLabel('Title').press('Control+Enter'); // submits from the keyboard
  await expect(app.getByRole('heading', { name: 'Hydraulic leak, left main gear bay' })).toBeVisible();
  const saved = await app.evaluate(async () => {
    const list = (await window.api['workItems.list']({ offset: 0, limit: 5 })) as { ok: true; value: { rows: { description: string; status: string }[] } };
    return list.value.rows[0]!;
  });
  expect(saved.description).toBe(kept);
  expect(saved.status).toBe('active');

  // The next new item starts on the template last used here.
  await app.getByRole('link', { name: 'Create item' }).click();
  await expect(app.getByRole('combobox', { name: 'Workflow' })).toHaveValue('QC inspection (v1)');
  for (const [width, height] of [[1280, 800], [1024, 700]] as const) {
    await app.setViewportSize({ width, height });
    await shot(`create-item-${width}x${height}`);
  }
});
