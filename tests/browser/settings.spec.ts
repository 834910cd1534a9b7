import { expect, test } from './fixtures';

test('the settings window opens from the main window and switches a module off after a restart', async ({ app, shot }) => {
  const popupPromise = app.waitForEvent('popup');
  await app.getByRole('button', { name: 'Settings' }).click();
  const settings = await popupPromise;
  await settings.getByRole('link', { name: 'Modules' }).click();
  await expect(settings.getByRole('heading', { name: 'Modules' })).toBeVisible();
  await expect(settings.getByText('Restart required')).toBeHidden();

  const departments = settings.getByRole('switch', { name: 'departments module' });
  await expect(departments).toBeChecked();
  await departments.click({ force: true });
  await expect(settings.getByText('Restart required')).toBeVisible();
  await settings.screenshot({ path: 'test-results/screenshots/settings-modules.png', fullPage: true, animations: 'disabled' });

  await settings.getByRole('button', { name: 'Restart now' }).click();
  // The core restarts underneath; the pages reload with the module off and its dependents stopped.
  await expect(settings.getByText('Restart required')).toBeHidden({ timeout: 15_000 });
  await expect(settings.getByRole('switch', { name: 'departments module' })).not.toBeChecked();
  await expect(settings.getByText(/needs module "departments", which is switched off/).first()).toBeVisible();

  await app.reload();
  await expect(app.getByRole('link', { name: 'Departments' })).toBeHidden();
  await expect(app.getByText('Start-up problems')).toBeVisible();
  await app.getByRole('link', { name: 'Create item' }).click();
  await expect(app.getByText('Steps, in order')).toBeVisible();
  await shot('create-item-without-templates');
});

test('a person at the terminal says who they are, and it shows on what they do', async ({ app }) => {
  await app.getByRole('button', { name: /Working here: Hangar operator/ }).click();
  const dialog = app.getByRole('dialog', { name: 'Who is working here?' });
  // A pasted name over the limit is kept whole and refused, not cut.
  await dialog.getByLabel('Your name').fill('A'.repeat(120));
  await expect(dialog.getByLabel('Your name')).toHaveValue('A'.repeat(120));
  await expect(dialog).toContainText('A name is 120 characters; the limit is 100. Shorten it by 20 — nothing was cut.');
  await expect(dialog.getByRole('button', { name: 'Continue' })).toBeDisabled();
  await dialog.getByLabel('Your name').fill('Ann Inspector');
  await dialog.getByRole('button', { name: 'Continue as Ann Inspector' }).click();
  await expect(app.getByRole('button', { name: /Working here: Ann Inspector/ })).toBeVisible();
  await app.getByRole('link', { name: 'Create item' }).click();
  await app.getByLabel('Title').fill('Oil sample, engine 1');
  await app.getByRole('button', { name: 'Submit' }).click();
  await expect(app.getByText(/created by Ann Inspector/)).toBeVisible();
});
