import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { seedItems } from './seed';
import { ADMIN, api, setUpAdmin } from './signIn';

/** The approver's day with the keyboard alone, the shortcuts help, and where focus goes after a dialog. */

/** Presses Tab until `target` has the focus (at most `limit` times): it is reachable by keyboard. */
async function tabTo(page: Page, target: Locator, limit = 60) {
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab did not reach ${target}`);
}

test.describe('with sign-in on', () => {
  test.use({ users: true });

  test('an approval from the dashboard by keyboard alone: search, open the item, approve, sign with PIN and Enter', async ({ app, shot }) => {
    await setUpAdmin(app);
    await seedItems(app, ADMIN.secret);
    await app.reload();
    await expect(app.getByRole('table', { name: 'Work items' }).getByRole('row')).toHaveCount(8);

    // "/" focuses the search from anywhere; typing there fires no shortcut.
    await app.keyboard.press('/');
    const search = app.getByRole('textbox', { name: 'Search work items' });
    await expect(search).toBeFocused();
    await app.keyboard.type('hydraulic pump a r ?');
    await expect(app.getByRole('dialog')).toHaveCount(0);
    await app.keyboard.press('Control+a');
    await app.keyboard.type('hydraulic pump');
    const table = app.getByRole('table', { name: 'Work items' });
    await expect(table.getByRole('row')).toHaveCount(2);

    // The title is a real link to the item: Tab reaches it, Enter opens it.
    const link = table.getByRole('link', { name: 'Replace hydraulic pump, system B' });
    await expect(link).toHaveAttribute('href', '#/items/1');
    await tabTo(app, link);
    await shot('keyboard-item-link-focused');
    await app.keyboard.press('Enter');
    await expect(app.getByRole('heading', { name: 'Replace hydraulic pump, system B' })).toBeVisible();

    // A approves the item being viewed: the dialog opens on its comment, Tab goes on to the PIN, Enter signs.
    await app.keyboard.press('a');
    const dialog = app.getByRole('dialog', { name: 'Approve this step' });
    await expect(dialog.getByLabel('Comment')).toBeFocused();
    await app.keyboard.type('Pump part number checked');
    const pin = dialog.getByLabel('Sign with your PIN or password');
    await tabTo(app, pin, 5);
    // A visible ring around the focused field (on its box: the password field is an input in a box).
    expect(await pin.evaluate((el) => getComputedStyle(el.closest('.mantine-Input-input')!).outlineStyle)).toBe('solid');
    await shot('keyboard-approve-dialog');
    await app.keyboard.type(ADMIN.secret);
    await app.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    await expect(app.getByLabel('History', { exact: true })).toContainText('Approved at Engineering, moved to Quality Control');
    await expect(app.getByLabel('History', { exact: true })).toContainText('Pump part number checked');
    const item = await api(app, 'workItems.get', { id: 1 });
    expect(item.value.item.currentStep).toBe(1);

    // R rejects it; Escape cancels and nothing moves.
    await app.keyboard.press('r');
    await expect(app.getByRole('dialog', { name: 'Reject to an earlier step' })).toBeVisible();
    await app.keyboard.press('Escape');
    await expect(app.getByRole('dialog')).toHaveCount(0);
    expect((await api(app, 'workItems.get', { id: 1 })).value.item.version).toBe(item.value.item.version);
  });
});

test('? opens the shortcuts help, which lists search, approve, reject; it closes with Escape and gives focus back', async ({ app, shot }) => {
  await expect(app.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await app.keyboard.press('Shift+?');
  const help = app.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  for (const text of ['Search work items', 'Approve the item you are viewing', 'Reject the item you are viewing', 'Show these shortcuts']) {
    await expect(help.getByRole('table')).toContainText(text);
  }
  await shot('shortcuts-help');
  await app.keyboard.press('Escape');
  await expect(help).toBeHidden();

  // Opened from its header button, it gives the focus back to that button; its close button has a name.
  const button = app.getByRole('button', { name: 'Keyboard shortcuts' });
  await button.focus();
  await app.keyboard.press('Enter');
  await expect(help).toBeVisible();
  await help.getByRole('button', { name: 'Close' }).click();
  await expect(help).toBeHidden();
  await expect(button).toBeFocused();

  // Typed into a field, ? is just a character.
  await app.getByRole('textbox', { name: 'Search work items' }).fill('');
  await app.getByRole('textbox', { name: 'Search work items' }).press('Shift+?');
  await expect(app.getByRole('textbox', { name: 'Search work items' })).toHaveValue('?');
  await expect(help).toBeHidden();
});

test('a dialog gives the focus back to the button that opened it', async ({ app }) => {
  await seedItems(app);
  await app.goto(`${new URL(app.url()).origin}/#/items/2`);
  const reject = app.getByRole('button', { name: 'Reject' });
  await reject.focus();
  await app.keyboard.press('Enter');
  const dialog = app.getByRole('dialog', { name: 'Reject to an earlier step' });
  await expect(dialog).toBeVisible();
  await app.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(reject).toBeFocused();

  await reject.press('Enter');
  await dialog.getByRole('button', { name: 'Back' }).click();
  await expect(reject).toBeFocused();
});
