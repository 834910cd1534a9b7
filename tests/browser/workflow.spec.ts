import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { expect, screenshotDir, test } from './fixtures';

async function createItem(app: Page, title: string, fields: { registration?: string; workOrder?: string } = {}) {
  await app.getByRole('link', { name: 'Create item' }).click();
  await expect(app.getByRole('heading', { name: 'New work item' })).toBeVisible();
  await app.getByLabel('Title').fill(title);
  await app.getByLabel('Description').fill('Found during A-check. Replace per AMM 32-11-00.');
  // The standard template is chosen by default and shows its three departments.
  const steps = app.getByLabel('Workflow steps');
  await expect(steps).toContainText('1. Engineering');
  await expect(steps).toContainText('2. Quality Control');
  await expect(steps).toContainText('3. Operations');
  if (fields.registration) await app.getByLabel('Aircraft registration').fill(fields.registration);
  if (fields.workOrder) await app.getByLabel('Work-order number').fill(fields.workOrder);
  await app.getByRole('button', { name: 'Submit' }).click();
  await expect(app.getByRole('heading', { name: title })).toBeVisible();
}

async function approve(app: Page, comment?: string) {
  await app.getByRole('button', { name: 'Approve' }).click();
  const dialog = app.getByRole('dialog', { name: 'Approve this step' });
  if (comment) await dialog.getByLabel('Comment').fill(comment);
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await expect(dialog).toBeHidden();
}

test('an item goes through three departments to completed; another is rejected back to step 1', async ({ app, shot }) => {
  await createItem(app, 'Replace left main gear actuator seal', { registration: 'G-EZTH', workOrder: 'WO-2026-0412' });
  const workflow = app.getByLabel('Workflow');
  await expect(workflow).toContainText('Waiting here');
  await shot('item-created');

  await approve(app, 'Engineering data checked');
  await expect(app.getByLabel('History', { exact: true })).toContainText('Approved at Engineering, moved to Quality Control');
  await approve(app);
  await expect(app.getByLabel('History', { exact: true })).toContainText('Approved at Quality Control, moved to Operations');
  await approve(app);
  await expect(app.getByText('All steps done').first()).toBeVisible();
  await expect(app.getByText('Completed', { exact: true }).first()).toBeVisible();
  await expect(app.getByText(/No further actions/)).toBeVisible();
  await expect(app.getByLabel('History', { exact: true })).toContainText('“Engineering data checked”');
  await shot('item-completed');

  await createItem(app, 'Borescope inspection, engine 2');
  await approve(app);
  await approve(app);
  await expect(workflow).toContainText('Operations');
  await app.getByRole('button', { name: 'Reject' }).click();
  const reject = app.getByRole('dialog', { name: 'Reject to an earlier step' });
  await reject.getByLabel('Send it back to').click();
  await app.getByRole('option', { name: '1. Engineering' }).click();
  // A pasted reason over the limit is kept whole and refused with how much to cut, never cut silently.
  const reason = reject.getByLabel('Reason for rejection');
  await reason.fill('Borescope images missing. '.repeat(160));
  await expect(reason).toHaveValue('Borescope images missing. '.repeat(160));
  await expect(reject).toContainText('The reason is 4,160 characters; the limit is 4,000. Shorten it by 160 — nothing was cut.');
  await expect(reject).toContainText('4,160 / 4,000 characters');
  await expect(reject.getByRole('button', { name: 'Reject' })).toBeDisabled();
  await shot('reject-reason-too-long');
  await reason.fill('Borescope images missing for stage 3');
  await reject.getByRole('button', { name: 'Reject' }).click();
  await expect(reject).toBeHidden();
  const history = app.getByLabel('History', { exact: true });
  await expect(history).toContainText('Rejected at Operations, sent back to Engineering');
  await expect(history).toContainText('“Borescope images missing for stage 3”');
  await shot('item-rejected');

  await app.getByRole('link', { name: 'Dashboard' }).first().click();
  const table = app.getByRole('table', { name: 'Work items' });
  const completedRow = table.getByRole('row', { name: /Replace left main gear actuator seal/ });
  await expect(completedRow).toContainText('Completed');
  await expect(completedRow).toContainText('G-EZTH');
  const rejectedRow = table.getByRole('row', { name: /Borescope inspection/ });
  await expect(rejectedRow).toContainText('Engineering · step 1 of 3');
  await expect(rejectedRow).toContainText('In progress');
  await expect(app.getByRole('group', { name: 'Completed' })).toContainText('1');
  await expect(app.getByRole('group', { name: 'In progress' })).toContainText('1');
  await expect(app.getByLabel('Waiting per department')).toContainText('1 at Engineering');
  await shot('dashboard-after-workflow');

  await app.getByLabel('Search work items').fill('WO-2026-0412');
  await expect(table.getByRole('row')).toHaveCount(2); // header + the one match
  await expect(table).toContainText('Replace left main gear actuator seal');
});

test('a draft is saved, submitted later, and cancelled with a reason', async ({ app }) => {
  await app.getByRole('link', { name: 'Create item' }).click();
  await app.getByRole('button', { name: 'Save as draft' }).click();
  await expect(app.getByText('A title is required')).toBeVisible();

  await app.getByLabel('Title').fill('Cabin PA speaker intermittent');
  await app.getByRole('button', { name: 'Save as draft' }).click();
  await expect(app.getByRole('heading', { name: 'Cabin PA speaker intermittent' })).toBeVisible();
  await expect(app.getByText('Draft', { exact: true })).toBeVisible();
  await app.getByRole('button', { name: 'Submit' }).click();
  await app.getByRole('dialog', { name: 'Submit for approval' }).getByRole('button', { name: 'Submit' }).click();
  await expect(app.getByLabel('History', { exact: true })).toContainText('Submitted to Engineering');

  await app.getByRole('button', { name: 'Cancel item' }).click();
  const dialog = app.getByRole('dialog', { name: 'Cancel this item' });
  await dialog.getByLabel('Comment').fill('Raised twice; see WO-2026-0399');
  await dialog.getByRole('button', { name: 'Cancel item' }).click();
  await expect(app.getByLabel('History', { exact: true })).toContainText('Cancelled (was in progress)');
  await expect(app.getByText(/No further actions: this item is cancelled/)).toBeVisible();
});

test('the approvals queue filters by department and approves from the list', async ({ app, shot }) => {
  await createItem(app, 'Pitot probe heater check');
  await createItem(app, 'Replace cabin filter');
  await approve(app);
  await app.getByRole('link', { name: 'Approvals' }).click();
  const queue = app.getByRole('table', { name: 'Approval queue' });
  await expect(queue.getByRole('row')).toHaveCount(3);
  await app.getByRole('combobox', { name: 'Department' }).click();
  await app.getByRole('option', { name: 'Quality Control (1)' }).click();
  await expect(queue.getByRole('row')).toHaveCount(2);
  await expect(queue).toContainText('Replace cabin filter');
  await shot('approvals-queue');
  await queue.getByRole('button', { name: 'Approve' }).click();
  await app.getByRole('dialog', { name: 'Approve this step' }).getByRole('button', { name: 'Approve' }).click();
  await expect(app.getByText('No items are waiting at Quality Control.')).toBeVisible();
});

test('an approval on a view that another terminal changed is refused with a clear message', async ({ browser, harness }) => {
  // This terminal does not hear about changes (as if its notification were still in flight).
  const context = await browser.newContext();
  // The page opens /__events?session=…: match the path, whatever the query.
  await context.route((url) => url.pathname === '/__events', (route) => route.abort());
  const app = await context.newPage();
  await app.goto(harness.url);
  await createItem(app, 'Torque check, nose wheel');
  await app.getByRole('button', { name: 'Approve' }).click();
  const dialog = app.getByRole('dialog', { name: 'Approve this step' });

  const other = await (await browser.newContext()).newPage();
  await other.goto(app.url());
  await other.getByRole('button', { name: 'Approve' }).click();
  await other.getByRole('dialog', { name: 'Approve this step' }).getByRole('button', { name: 'Approve' }).click();
  await expect(other.getByLabel('History', { exact: true })).toContainText('Approved at Engineering');

  await dialog.getByRole('button', { name: 'Approve' }).click();
  await expect(dialog.getByRole('alert')).toContainText('changed since you opened it, so nothing was done and nothing was signed');
  await app.screenshot({ path: join(screenshotDir, 'stale-approval.png') });
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await app.reload();
  // Only the other terminal's approval happened.
  const history = app.getByLabel('History', { exact: true });
  await expect(history).toContainText('Approved at Engineering, moved to Quality Control');
  await expect(history.getByText(/^Approved at/)).toHaveCount(1);
  await other.context().close();
  await context.close();
});
