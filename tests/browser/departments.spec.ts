import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** Creates items through the app's own API: one waiting at Quality Control, one still at Engineering. */
async function seedItems(app: Page) {
  await app.evaluate(async () => {
    const make = async (title: string, approvals: number) => {
      const created = await window.api['workItems.create']({ title, workflowId: 'template:standard', submit: true });
      if (!created.ok) throw new Error(created.error.message);
      let item = created.value;
      for (let i = 0; i < approvals; i++) {
        const r = await window.api['workItems.approve']({ id: item.id, expectedVersion: item.version });
        if (!r.ok) throw new Error(r.error.message);
        item = r.value;
      }
    };
    await make('Replace hydraulic pump, system B', 1);
    await make('Cabin emergency lighting test', 0);
  });
}

/**
 * Opens the panel once the app knows its modules: the settings window redirects a panel path it
 * does not know yet (status still loading) to Modules — see the report.
 */
async function openPanel(app: Page, url: string) {
  await expect(app.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Departments' })).toBeVisible();
  await app.goto(`${url}#/settings/departments`);
  await expect(app.getByRole('heading', { name: 'Departments' })).toBeVisible();
}

const rowNames = (app: Page) =>
  app
    .getByRole('table', { name: 'Departments' })
    .getByRole('row')
    .evaluateAll((rows) => rows.slice(1).map((r) => r.querySelectorAll('td')[1]?.textContent ?? ''));

test('admins add, rename, reorder, deactivate and delete departments in the settings window', async ({ app, harness, shot }) => {
  await seedItems(app);
  await openPanel(app, harness.url);
  await expect(app.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Departments' })).toHaveAttribute('aria-current', 'page');
  await expect.poll(() => rowNames(app)).toEqual(['Engineering', 'Quality Control', 'Operations']);
  await shot('settings-departments');

  // Add: a name that exists (in another case) and a code that exists are refused next to their fields.
  const name = app.getByRole('textbox', { name: 'Name' });
  const code = app.getByRole('textbox', { name: 'Code' });
  await name.fill('quality control');
  await code.fill('qc');
  await expect(code).toHaveValue('QC');
  await app.getByRole('button', { name: 'Add department' }).click();
  await expect(name).toHaveAccessibleDescription('A department named "Quality Control" already exists.');
  await expect(code).toHaveAccessibleDescription('The code "QC" is already used by Quality Control.');
  await shot('settings-departments-add-errors');

  await name.fill('Non-Destructive Testing');
  await code.fill('ndt');
  await app.getByRole('button', { name: 'Add department' }).click();
  await expect(app.getByRole('status')).toContainText('Added Non-Destructive Testing (NDT) at the end of the order.');
  await expect.poll(() => rowNames(app)).toEqual(['Engineering', 'Quality Control', 'Operations', 'Non-Destructive Testing']);
  await expect(name).toHaveValue('');

  // Rename: the code is shown, fixed.
  await app.getByRole('button', { name: 'Rename Operations' }).click();
  const rename = app.getByRole('dialog', { name: 'Rename Operations' });
  await expect(rename.getByRole('textbox', { name: 'Code' })).toBeDisabled();
  await expect(rename.getByRole('textbox', { name: 'Code' })).toHaveValue('OPS');
  await rename.getByRole('textbox', { name: 'Name' }).fill('Engineering');
  await rename.getByRole('button', { name: 'Save name' }).click();
  await expect(rename.getByRole('textbox', { name: 'Name' })).toHaveAccessibleDescription('A department named "Engineering" already exists.');
  await shot('settings-departments-rename');
  await rename.getByRole('textbox', { name: 'Name' }).fill('Line Operations');
  await rename.getByRole('button', { name: 'Save name' }).click();
  await expect(rename).toBeHidden();
  await expect(app.getByRole('status')).toContainText('Renamed Operations to Line Operations.');

  // Reorder.
  await expect(app.getByRole('button', { name: 'Move Engineering up' })).toBeDisabled();
  await expect(app.getByRole('button', { name: 'Move Non-Destructive Testing down' })).toBeDisabled();
  await app.getByRole('button', { name: 'Move Non-Destructive Testing up' }).click();
  await expect.poll(() => rowNames(app)).toEqual(['Engineering', 'Quality Control', 'Non-Destructive Testing', 'Line Operations']);
  await app.getByRole('button', { name: 'Move Engineering down' }).click();
  await expect.poll(() => rowNames(app)).toEqual(['Quality Control', 'Engineering', 'Non-Destructive Testing', 'Line Operations']);

  // Deactivate one that items use: the dialog lists them before anything changes.
  await app.getByRole('button', { name: 'Deactivate Quality Control' }).click();
  const deactivate = app.getByRole('dialog', { name: 'Deactivate Quality Control?' });
  await expect(deactivate).toContainText('2 open items go through Quality Control');
  const affected = deactivate.getByRole('table', { name: 'Affected items' });
  await expect(affected.getByRole('row', { name: /Replace hydraulic pump, system B/ })).toContainText('Waiting here now');
  await expect(affected.getByRole('row', { name: /Cabin emergency lighting test/ })).toContainText('Reaches it later (now at Engineering)');
  await shot('settings-departments-deactivate');
  await deactivate.getByRole('button', { name: 'Deactivate' }).click();
  await expect(deactivate).toBeHidden();
  await expect(app.getByRole('status')).toContainText('Deactivated Quality Control. 2 open items still go through it.');
  const qcRow = app.getByRole('table', { name: 'Departments' }).getByRole('row', { name: /Quality Control/ });
  await expect(qcRow).toContainText('Inactive');
  await expect(app.getByRole('button', { name: 'Reactivate Quality Control' })).toBeVisible();

  // Delete: refused while items go through it, allowed for one nothing refers to.
  await app.getByRole('button', { name: 'Delete Quality Control' }).click();
  const refused = app.getByRole('dialog', { name: 'Delete Quality Control?' });
  await expect(refused).toContainText('Quality Control cannot be deleted');
  await expect(refused).toContainText('2 open work items go through it.');
  await expect(refused.getByRole('button', { name: 'Delete for good' })).toHaveCount(0);
  await shot('settings-departments-delete-refused');
  await refused.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(refused).toBeHidden();

  await app.getByRole('button', { name: 'Delete Non-Destructive Testing' }).click();
  const remove = app.getByRole('dialog', { name: 'Delete Non-Destructive Testing?' });
  await expect(remove).toContainText('Nothing refers to Non-Destructive Testing yet');
  await remove.getByRole('button', { name: 'Delete for good' }).click();
  await expect(remove).toBeHidden();
  await expect.poll(() => rowNames(app)).toEqual(['Quality Control', 'Engineering', 'Line Operations']);
  await shot('settings-departments-after');

  // The item waiting at Quality Control still shows it by name, and the main window lists the new state.
  await app.goto(`${harness.url}#/items/1`);
  await expect(app.getByLabel('Workflow')).toContainText('Quality Control');
  await app.goto(`${harness.url}#/departments`);
  const readOnly = app.getByRole('table', { name: 'Departments' });
  await expect(readOnly.getByRole('row', { name: /Quality Control/ })).toContainText('Inactive');
  await expect(readOnly).toContainText('Line Operations');
});

test('the panel shows its empty state and a load error', async ({ app, harness, shot }) => {
  // The standard template uses all three defaults, and a department a template uses cannot be
  // deleted: switch templates (and so approvals) off first, as an admin would, and restart.
  await expect(app.getByRole('navigation', { name: 'Main' })).toBeVisible();
  const switched = await app.evaluate(() => window.api['modules.setEnabled']({ name: 'templates', enabled: false }));
  expect(switched).toMatchObject({ ok: true });
  // Not awaited inside the page: the restart reloads it, which may come before the call's answer.
  await app.evaluate(() => {
    void window.api['app.restart']({});
  });
  await expect(app.getByText('Start-up problems')).toBeVisible();
  await openPanel(app, harness.url);
  for (const department of ['Engineering', 'Quality Control', 'Operations']) {
    await app.getByRole('button', { name: `Delete ${department}` }).click();
    const dialog = app.getByRole('dialog', { name: `Delete ${department}?` });
    await dialog.getByRole('button', { name: 'Delete for good' }).click();
    await expect(dialog).toBeHidden();
  }
  await expect(app.getByText('No departments yet')).toBeVisible();
  await shot('settings-departments-empty');

  await app.route('**/__api/departments.list', (route) =>
    route.fulfill({ json: { ok: false, error: { code: 'INTERNAL', message: 'The database could not be read.' } } }),
  );
  // Away and back (a hash change, not a reload: see the report about reloading settings panels).
  await app.getByRole('link', { name: 'Modules' }).click();
  await app.getByRole('link', { name: 'Departments' }).click();
  await expect(app.getByRole('alert')).toContainText('The database could not be read.');
  await shot('settings-departments-error');
  await app.unroute('**/__api/departments.list');
  await app.getByRole('button', { name: 'Try again' }).click();
  await expect(app.getByText('No departments yet')).toBeVisible();
});
