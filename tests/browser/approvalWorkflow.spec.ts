import type { Browser, Page } from '@playwright/test';
import { join } from 'node:path';
import { expect, screenshotDir, test, type Harness } from './fixtures';

/**
 * The approval workflow as three people at three terminals live it: a template with a
 * two-person QC step, no self-approval and a required reason on rejection.
 */
async function terminal(browser: Browser, harness: Harness, name: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
  await page.goto(harness.url);
  await page.getByRole('button', { name: /Working here:/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Who is working here?' });
  await dialog.getByLabel('Your name').fill(name);
  await dialog.getByRole('button', { name: `Continue as ${name}` }).click();
  await expect(page.getByRole('button', { name: `Working here: ${name}. Change` })).toBeVisible();
  return page;
}

async function approve(page: Page, itemUrl: string, comment?: string) {
  await page.goto(itemUrl);
  await page.getByRole('button', { name: 'Approve' }).click();
  const dialog = page.getByRole('dialog', { name: 'Approve this step' });
  if (comment) await dialog.getByLabel('Comment').fill(comment);
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await expect(dialog).toBeHidden();
}

test('two-person QC sign-off, no self-approval, a rejection with its reason, and cancel', async ({ app, browser, harness }) => {
  const created = await app.evaluate(() =>
    window.api['templates.create']!({
      name: 'Heavy check',
      steps: [{ department: 'ENG' }, { department: 'QC', minSignoffs: 2, targetHours: 24 }, { department: 'OPS' }],
      rules: { commentOnReject: true, commentOnEveryAction: false, noSelfApproval: true },
    }),
  );
  expect(created).toMatchObject({ ok: true });

  const ann = await terminal(browser, harness, 'Ann Planner');
  await ann.getByRole('link', { name: 'Create item' }).click();
  await ann.getByLabel('Title').fill('Flap track 3 corrosion repair');
  await ann.getByRole('combobox', { name: 'Workflow' }).click();
  await ann.getByRole('option', { name: 'Heavy check (v1)' }).click();
  await expect(ann.getByLabel('Workflow steps')).toContainText('2. Quality Control · 2 sign-offs · 24 h');
  await ann.getByLabel('Aircraft registration').fill('G-EZTH');
  await ann.getByRole('button', { name: 'Submit' }).click();
  await expect(ann.getByRole('heading', { name: 'Flap track 3 corrosion repair' })).toBeVisible();
  const itemUrl = ann.url();

  // The creator may not approve: the button is off and the reason is next to it.
  await expect(ann.getByRole('button', { name: 'Approve' })).toBeDisabled();
  await expect(ann.getByRole('note')).toContainText('You created this item');
  await ann.screenshot({ path: join(screenshotDir, 'item-self-approval-refused.png'), fullPage: true, animations: 'disabled' });

  const bob = await terminal(browser, harness, 'Bob Engineer');
  await approve(bob, itemUrl, 'Repair scheme per SRM 57-10 checked');
  await approve(bob, itemUrl);
  await expect(bob.getByLabel('Workflow')).toContainText('1 of 2 sign-offs: Bob Engineer');
  await expect(bob.getByLabel('History', { exact: true })).toContainText('Signed off at Quality Control (1 of 2); waits for the next sign-off');
  // The same person twice does not count.
  await expect(bob.getByRole('button', { name: 'Approve' })).toBeDisabled();
  await expect(bob.getByRole('note')).toContainText('already signed off this step');

  const cat = await terminal(browser, harness, 'Cat Inspector');
  await approve(cat, itemUrl, 'Second inspection done');
  await expect(cat.getByLabel('Workflow')).toContainText('Operations');
  await expect(cat.getByLabel('History', { exact: true })).toContainText('Approved at Quality Control, moved to Operations');

  // Rejecting needs a reason: the confirm stays off until there is one.
  await cat.getByRole('button', { name: 'Reject' }).click();
  const reject = cat.getByRole('dialog', { name: 'Reject to an earlier step' });
  await reject.getByLabel('Send it back to').click();
  await cat.getByRole('option', { name: '1. Engineering' }).click();
  await expect(reject.getByRole('button', { name: 'Reject' })).toBeDisabled();
  await reject.getByLabel('Reason for rejection').fill('Blend-out depth not recorded');
  await reject.getByRole('button', { name: 'Reject' }).click();
  await expect(reject).toBeHidden();

  const record = cat.getByLabel('Sign-off record');
  await expect(record.getByRole('row')).toHaveCount(5);
  await expect(record).toContainText('Approved at Quality Control (sign-off 1 of 2)');
  await expect(record).toContainText('Approved at Quality Control (sign-off 2 of 2)');
  await expect(record).toContainText('Rejected at Operations, returned to Engineering');
  await expect(record).toContainText('Blend-out depth not recorded');
  await expect(record).toContainText('Comment on rejection');
  await expect(cat.getByLabel('Workflow')).toContainText('Waiting here');
  await cat.screenshot({ path: join(screenshotDir, 'item-signoff-record.png'), fullPage: true, animations: 'disabled' });

  // The planner comments and cancels the item.
  await ann.goto(itemUrl);
  await ann.getByLabel('Add a comment').fill('Aircraft goes to the heavy-check line instead; raising a new package.');
  await ann.getByRole('button', { name: 'Post comment' }).click();
  await expect(ann.getByRole('region', { name: 'Comments' })).toContainText('heavy-check line instead');
  await ann.getByRole('button', { name: 'Cancel item' }).click();
  const cancel = ann.getByRole('dialog', { name: 'Cancel this item' });
  await cancel.getByLabel('Comment').fill('Superseded by WO-2026-0777');
  await cancel.getByRole('button', { name: 'Cancel item' }).click();
  await expect(ann.getByText(/No further actions: this item is cancelled/)).toBeVisible();
  const history = ann.getByLabel('History', { exact: true });
  await expect(history).toContainText('Cancelled (was in progress)');
  await expect(history).toContainText('heavy-check line instead');
  await ann.screenshot({ path: join(screenshotDir, 'item-cancelled-with-comment.png'), fullPage: true, animations: 'disabled' });

  for (const page of [ann, bob, cat]) await page.context().close();
});
