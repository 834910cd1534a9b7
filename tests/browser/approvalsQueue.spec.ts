import type { Browser, Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, screenshotDir, test } from './fixtures';
import { ADMIN, api, setUpAdmin, signIn, signOut } from './signIn';

/** The approver's queue with sign-in on: scoped to the person's departments, and bulk sign-off. */
test.use({ users: true });
// Each sign-in here hashes a PIN at the shipped cost (64 MiB scrypt), four or five per test.
const slowSignIns = () => test.slow();

const QUINN = { name: 'Quinn Inspector', number: 'QC-7', secret: '271828', role: 'staff', departments: ['QC'] };

/** An item of the Standard template approved at Engineering by the admin, so it waits at Quality Control. */
async function itemAtQc(page: Page, title: string) {
  const created = (await api(page, 'workItems.create', { title, workflowId: 'template:standard', submit: true })).value;
  const moved = await api(page, 'workItems.approve', { id: created.id, expectedVersion: created.version, signature: { secret: ADMIN.secret } });
  expect(moved).toMatchObject({ ok: true });
  return moved.value as { id: number; version: number };
}

async function itemAtEngineering(page: Page, title: string) {
  return (await api(page, 'workItems.create', { title, workflowId: 'template:standard', submit: true })).value as { id: number; version: number };
}

/** The admin sets up people and items, then Quinn (Quality Control staff) signs in at this page. */
async function asQuinnWith(page: Page, make: (page: Page) => Promise<void>) {
  await setUpAdmin(page);
  expect(await api(page, 'users.create', QUINN)).toMatchObject({ ok: true });
  await make(page);
  await signOut(page);
  await signIn(page, QUINN);
}

/** Another window (its own session) with the admin signed in. */
async function adminElsewhere(browser: Browser, url: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  await signIn(page, ADMIN);
  return page;
}

/** The page at both sizes the screens are checked at. */
async function shots(page: Page, name: string) {
  mkdirSync(screenshotDir, { recursive: true });
  for (const [width, height] of [
    [1280, 800],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: join(screenshotDir, `${name}-${width}x${height}.png`), animations: 'disabled' });
  }
  await page.setViewportSize({ width: 1360, height: 860 });
}

test('a QC person sees QC’s queue by default, counts per department in the navigation, and no buttons on other departments’ items', async ({ app, browser, harness }) => {
  slowSignIns();
  await asQuinnWith(app, async (page) => {
    await itemAtQc(page, 'Replace pitot probe');
    await itemAtQc(page, 'Borescope No. 2 engine');
    await itemAtEngineering(page, 'Rewire galley oven');
  });
  const myQueues = app.getByRole('navigation', { name: "My departments' queues" });
  await expect(myQueues.getByRole('link', { name: 'Quality Control: 2 waiting' })).toBeVisible();

  await app.getByRole('link', { name: /^Approvals/ }).click();
  const queue = app.getByRole('table', { name: 'Approval queue' });
  await expect(app.getByRole('combobox', { name: 'Department' })).toHaveValue('My departments: Quality Control (2)');
  await expect(queue.getByRole('row')).toHaveCount(3);
  await expect(app.getByText('2 waiting at Quality Control')).toBeVisible();
  await expect(queue.getByRole('button', { name: 'Approve' })).toHaveCount(2);
  await shots(app, 'approvals-my-queue');

  // Widened to all departments: Engineering's item shows where it waits, and why there is nothing to press.
  await app.getByRole('combobox', { name: 'Department' }).click();
  await app.getByRole('option', { name: 'All departments', exact: true }).click();
  await expect(queue.getByRole('row')).toHaveCount(4);
  const engineering = queue.getByRole('row', { name: /Rewire galley oven/ });
  await expect(engineering).toContainText('Engineering');
  await expect(engineering).toContainText('Only Engineering members can approve or reject here.');
  await expect(engineering.getByRole('button')).toHaveCount(0);
  await expect(engineering.getByRole('checkbox')).toHaveCount(0);
  await expect(queue.getByRole('button', { name: 'Approve' })).toHaveCount(2);
  await shots(app, 'approvals-all-departments');

  // Another department picked by name; then back to mine from the navigation.
  await app.getByRole('combobox', { name: 'Department' }).click();
  await app.getByRole('option', { name: 'Engineering (1)', exact: true }).click();
  await expect(queue.getByRole('row')).toHaveCount(2);
  await expect(app.getByText('1 waiting at Engineering')).toBeVisible();
  await myQueues.getByRole('link', { name: 'Quality Control: 2 waiting' }).click();
  await expect(queue.getByRole('row')).toHaveCount(3);

  // The count follows changes made elsewhere, live.
  const admin = await adminElsewhere(browser, harness.url);
  const engineeringItem = (await api(admin, 'workItems.list', { status: 'active', step: 'Engineering' })).value.rows[0];
  expect(await api(admin, 'workItems.approve', { id: engineeringItem.id, expectedVersion: engineeringItem.version, signature: { secret: ADMIN.secret } })).toMatchObject({ ok: true });
  await expect(myQueues.getByRole('link', { name: 'Quality Control: 3 waiting' })).toBeVisible();
  await expect(queue.getByRole('row')).toHaveCount(4);
});

test('bulk sign-off reviews each item, signs with one PIN, and lists an item changed meanwhile by another session', async ({ app, browser, harness }) => {
  slowSignIns();
  const titles = ['Replace pitot probe', 'Borescope No. 2 engine', 'Torque check, nose wheel'];
  const items: { id: number; version: number }[] = [];
  await asQuinnWith(app, async (page) => {
    for (const title of titles) items.push(await itemAtQc(page, title));
  });
  await app.getByRole('link', { name: /^Approvals/ }).click();
  const queue = app.getByRole('table', { name: 'Approval queue' });
  await expect(queue.getByRole('row')).toHaveCount(4);
  const review = app.getByRole('button', { name: /^Review and sign off/ });
  await expect(review).toBeDisabled();
  await app.getByLabel(`Select #${items[0]!.id} for sign-off`).check();
  await expect(review).toHaveText('Review and sign off (1)…');
  await app.getByLabel('Select all I can sign off on this page (3)').check();
  await expect(review).toHaveText('Review and sign off (3)…');
  await review.click();

  const dialog = app.getByRole('dialog', { name: 'Review and sign off 3 items' });
  const listed = dialog.getByRole('table', { name: 'Items to sign off' });
  await expect(listed.getByRole('row')).toHaveCount(4);
  for (const [i, item] of items.entries()) {
    const row = listed.getByRole('row', { name: new RegExp(`#${item.id}\\b`) });
    await expect(row).toContainText(titles[i]!);
    await expect(row).toContainText('Quality Control → Operations');
    await expect(row).toContainText('Approved at Quality Control');
  }
  await dialog.getByLabel('Comment').fill('Checked against the work packs');
  await shots(app, 'approvals-bulk-review');

  // Meanwhile someone else approves the second item in another session.
  const admin = await adminElsewhere(browser, harness.url);
  const second = items[1]!;
  expect(await api(admin, 'workItems.approve', { id: second.id, expectedVersion: second.version, signature: { secret: ADMIN.secret } })).toMatchObject({ ok: true });
  await expect(queue.getByRole('row')).toHaveCount(3); // the queue behind the dialog follows; the review keeps what it showed

  // A wrong PIN signs nothing and counts once.
  await dialog.getByLabel('Sign with your PIN or password').fill('000000');
  await dialog.getByRole('button', { name: 'Sign off 3 items' }).click();
  await expect(dialog.getByRole('alert')).toContainText('PIN incorrect: nothing was signed. 4 more attempts');
  await expect(dialog.getByLabel('Sign with your PIN or password')).toHaveValue('');

  await dialog.getByLabel('Sign with your PIN or password').fill(QUINN.secret);
  await dialog.getByRole('button', { name: 'Sign off 3 items' }).click();
  const done = app.getByRole('dialog', { name: 'Sign-off done' });
  await expect(done.getByRole('status')).toContainText('Signed off: 2 items');
  await expect(done.getByRole('alert')).toContainText('Not signed: 1 item');
  await expect(done.getByRole('alert')).toContainText(`#${second.id} · ${titles[1]}:`);
  await expect(done.getByRole('alert')).toContainText('(it is at Operations now)');
  await shots(app, 'approvals-bulk-result');
  await done.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(app.getByText('No items are waiting at Quality Control.')).toBeVisible();
  await shots(app, 'approvals-my-queue-empty');

  // Each signed item has Quinn's own signature with the comment; the changed one has none of Quinn's.
  for (const item of [items[0]!, items[2]!]) {
    const signatures = (await api(admin, 'users.signatures', { itemId: item.id })).value as { meaning: string; signer: { name: string } }[];
    expect(signatures.map((s) => [s.meaning, s.signer.name])).toEqual([
      ['Approved at Engineering', 'Ada Admin'],
      ['Approved at Quality Control', 'Quinn Inspector'],
    ]);
    const events = (await api(admin, 'workItems.get', { id: item.id })).value.events as { action: string; comment: string | null }[];
    expect(events.at(-1)).toMatchObject({ action: 'approve', comment: 'Checked against the work packs' });
  }
  const changed = (await api(admin, 'users.signatures', { itemId: second.id })).value as { signer: { name: string } }[];
  expect(changed.map((s) => s.signer.name)).toEqual(['Ada Admin', 'Ada Admin']);
});

test('bulk sign-off by keyboard: Escape and Back give the focus back to the review button, Enter in the PIN field signs', async ({ app }) => {
  slowSignIns();
  const titles = ['Replace pitot probe', 'Borescope No. 2 engine'];
  await asQuinnWith(app, async (page) => {
    for (const title of titles) await itemAtQc(page, title);
  });
  await app.getByRole('link', { name: /^Approvals/ }).click();
  await app.getByLabel('Select all I can sign off on this page (2)').check();
  const review = app.getByRole('button', { name: 'Review and sign off (2)…' });
  const dialog = app.getByRole('dialog', { name: 'Review and sign off 2 items' });
  const pin = dialog.getByLabel('Sign with your PIN or password');

  await review.focus();
  await app.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await app.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(review).toBeFocused();

  await review.press('Enter');
  await dialog.getByRole('button', { name: 'Back' }).click();
  await expect(dialog).toBeHidden();
  await expect(review).toBeFocused();

  await review.press('Enter');
  await dialog.getByRole('button', { name: 'Close dialog' }).click();
  await expect(dialog).toBeHidden();
  await expect(review).toBeFocused();

  // A wrong PIN with Enter: the core's answer, the field emptied and ready for the next try.
  await review.press('Enter');
  await pin.fill('000000');
  await pin.press('Enter');
  await expect(dialog.getByRole('alert')).toContainText('PIN incorrect: nothing was signed.');
  await expect(pin).toHaveValue('');
  await expect(pin).toBeFocused();
  await app.keyboard.type(QUINN.secret);
  await app.keyboard.press('Enter');
  const done = app.getByRole('dialog', { name: 'Sign-off done' });
  await expect(done.getByRole('status')).toContainText('Signed off: 2 items');
  await expect(done.getByRole('button', { name: 'Close', exact: true })).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(done).toBeHidden();
  await expect(app.getByText('No items are waiting at Quality Control.')).toBeVisible();
});

test.describe('without sign-in', () => {
  test.use({ users: false });

  test('the queue opens on the departments this terminal chose on its dashboard, else on all', async ({ app }) => {
    for (const [title, step] of [
      ['Replace pitot probe', 'Quality Control'],
      ['Rewire galley oven', 'Engineering'],
    ]) {
      expect(await api(app, 'workItems.create', { title, steps: [{ name: step }], submit: true })).toMatchObject({ ok: true });
    }
    await app.getByRole('link', { name: /^Approvals/ }).click();
    const queue = app.getByRole('table', { name: 'Approval queue' });
    await expect(app.getByRole('combobox', { name: 'Department' })).toHaveValue('All departments');
    await expect(queue.getByRole('row')).toHaveCount(3);

    await app.evaluate(() => localStorage.setItem('aviation-workflow.terminal', JSON.stringify({ state: { myDepartments: ['Quality Control'] }, version: 1 })));
    await app.reload();
    await expect(app.getByRole('combobox', { name: 'Department' })).toHaveValue('My departments: Quality Control (1)');
    await expect(queue.getByRole('row')).toHaveCount(2);
    await expect(queue).toContainText('Replace pitot probe');
    await expect(app.getByRole('navigation', { name: "My departments' queues" }).getByRole('link', { name: 'Quality Control: 1 waiting' })).toBeVisible();
    await expect(queue.getByRole('button', { name: 'Approve' })).toHaveCount(1);
  });
});
