import type { Page } from '@playwright/test';
import { expectAccessible } from './axe';
import { expect, test } from './fixtures';
import { seedItems } from './seed';
import { ADMIN, setUpAdmin, signIn, signOut } from './signIn';

/** Every main screen and settings panel, with data in it, checked by axe-core in light and dark. */

const open = async (page: Page, hash: string) => {
  await page.goto(`${new URL(page.url()).origin}/${hash}`);
};

test('every screen and settings panel has no serious accessibility problems, light and dark', async ({ app }) => {
  test.setTimeout(420_000);
  await seedItems(app);
  await app.reload();

  await expect(app.getByRole('table', { name: 'Work items' }).getByRole('row')).toHaveCount(8);
  await expectAccessible(app, 'dashboard');

  await open(app, '#/create');
  await expect(app.getByRole('heading', { name: 'New work item' })).toBeVisible();
  await expectAccessible(app, 'create item');

  await open(app, '#/approvals');
  await expect(app.getByRole('table', { name: 'Approval queue' }).getByRole('row')).not.toHaveCount(1);
  await expectAccessible(app, 'approvals');

  await open(app, '#/items/2');
  await expect(app.getByRole('region', { name: 'Comments' })).toContainText('Parts on order');
  await expectAccessible(app, 'item view');
  await app.getByRole('button', { name: 'Reject' }).click();
  await expect(app.getByRole('dialog', { name: 'Reject to an earlier step' })).toBeVisible();
  await expectAccessible(app, 'reject dialog');
  await app.keyboard.press('Escape');

  await open(app, '#/items/5');
  await expect(app.getByLabel('Sign-off record')).toContainText('Rejected');
  await expectAccessible(app, 'item view, rejected once');

  await open(app, '#/reports');
  await expect(app.getByLabel('Waiting per department')).toContainText('Engineering');
  await expectAccessible(app, 'reports overview');
  await app.getByRole('tab', { name: 'Analytics' }).click();
  await expect(app.getByRole('table', { name: 'Cycle time per department' })).toContainText('Quality Control', { timeout: 90_000 });
  await expectAccessible(app, 'analytics');

  await open(app, '#/departments');
  await expect(app.getByRole('table', { name: 'Departments' })).toContainText('Quality Control');
  await expectAccessible(app, 'departments');

  await open(app, '#/items/1/print');
  await expect(app.locator('body[data-print-ready="true"]')).toBeAttached();
  // The record is on white paper whatever the OS is set to.
  await app.emulateMedia({ colorScheme: 'dark' });
  await expect(app.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'light');
  await expectAccessible(app, 'print view', ['light']);

  for (const [panel, heading] of [
    ['departments', 'Departments'],
    ['templates', 'Templates'],
    ['audit', 'Audit trail'],
    ['backups', 'Backups'],
    ['this-terminal', 'This terminal'],
    ['modules', 'Modules'],
  ]) {
    await open(app, `#/settings/${panel}`);
    await expect(app.getByRole('heading', { name: heading, exact: true })).toBeVisible();
    await expect(app.getByText('Loading…')).toHaveCount(0);
    await expectAccessible(app, `settings: ${heading}`);
  }
  await open(app, '#/settings/templates');
  await app.getByRole('button', { name: /New template/ }).click();
  await expect(app.getByRole('heading', { name: 'New template' })).toBeVisible();
  await expectAccessible(app, 'settings: new template');
});

test.describe('with sign-in on', () => {
  test.use({ users: true });

  test('set-up, sign-in, lock, signing and the users panel have no serious accessibility problems, light and dark', async ({ app }) => {
    test.setTimeout(300_000);
    await expect(app.getByRole('heading', { name: 'Set up the first administrator' })).toBeVisible();
    await expectAccessible(app, 'first-run set-up');
    await setUpAdmin(app);
    await seedItems(app, ADMIN.secret);
    await app.reload();
    await expect(app.getByRole('table', { name: 'Work items' }).getByRole('row')).toHaveCount(8);
    await expectAccessible(app, 'dashboard, signed in');

    await open(app, '#/items/2');
    await app.getByRole('button', { name: 'Approve' }).click();
    await expect(app.getByRole('dialog', { name: 'Approve this step' }).getByLabel('Sign with your PIN or password')).toBeVisible();
    await expectAccessible(app, 'approve dialog with e-signature');
    await app.keyboard.press('Escape');

    await open(app, '#/approvals');
    await app.getByLabel(/^Select all I can sign off on this page/).check();
    await app.getByRole('button', { name: /^Review and sign off/ }).click();
    await expect(app.getByRole('dialog', { name: /^Review and sign off/ }).getByLabel('Sign with your PIN or password')).toBeVisible();
    await expectAccessible(app, 'bulk sign-off dialog');
    await app.keyboard.press('Escape');

    await open(app, '#/assigned');
    await expect(app.getByRole('heading', { name: 'Assigned to me' })).toBeVisible();
    await expectAccessible(app, 'assigned to me');

    await open(app, '#/settings/users');
    await expect(app.getByRole('table', { name: 'Users' })).toContainText(ADMIN.name);
    await expectAccessible(app, 'settings: users');
    await app.getByRole('button', { name: 'Add person' }).click();
    const person = app.getByRole('dialog', { name: 'Add person' });
    await person.getByRole('button', { name: 'Add person' }).click();
    await expect(person.getByLabel('Name')).toHaveAccessibleDescription('Enter the person’s name');
    await expectAccessible(app, 'person dialog with its errors');
    await app.keyboard.press('Escape');

    await open(app, '#/');
    await app.keyboard.press('Control+l');
    await expect(app.getByRole('heading', { name: 'Locked' })).toBeVisible();
    await expectAccessible(app, 'lock screen');
    await app.getByLabel(`PIN or password for ${ADMIN.name}`).fill(ADMIN.secret);
    await app.keyboard.press('Enter');

    await signOut(app);
    await expectAccessible(app, 'sign-in screen');
    await signIn(app, ADMIN);
  });
});
