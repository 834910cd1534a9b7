import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { ADMIN, api, setUpAdmin, signIn, signOut } from './signIn';

/** Assignments in the real renderer against the real core, with sign-in on as shipped. */
test.use({ users: { scryptCost: 14 } }); // quicker hashes: this test signs in six times

const LEAD = { name: 'Lena Lead', number: 'QL-1', secret: '314159', role: 'lead', departments: ['QC'] };
const QUINN = { name: 'Quinn Inspector', number: 'QC-7', secret: '271828', role: 'staff', departments: ['QC'] };
const SAM = { name: 'Sam Second', number: 'QC-8', secret: '161803', role: 'staff', departments: ['QC'] };
const ELI = { name: 'Eli Engineer', number: 'E-12', secret: '141421', role: 'staff', departments: ['ENG'] };

async function switchTo(page: Page, person: { name: string; secret: string }) {
  await signOut(page);
  await signIn(page, person);
}

test('a lead assigns and reassigns within Quality Control; the holder finds it under Assigned to me', async ({ app, shot }) => {
  test.setTimeout(120_000);
  await setUpAdmin(app);
  for (const p of [LEAD, QUINN, SAM, ELI]) expect(await api(app, 'users.create', p)).toMatchObject({ ok: true });
  const created = await api(app, 'workItems.create', { title: 'Replace pitot probe', workflowId: 'template:standard', submit: true, metadata: { aircraftRegistration: 'G-EZTH' } });
  const item = created.value;
  expect(await api(app, 'workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: ADMIN.secret } })).toMatchObject({ ok: true });
  const itemUrl = `${new URL(app.url()).origin}/#/items/${item.id}`;

  // Staff with nothing assigned: an empty list that says what will appear there.
  await switchTo(app, QUINN);
  await app.getByRole('link', { name: 'Assigned to me' }).click();
  await expect(app.getByText('Nothing is assigned to you')).toBeVisible();
  await shot('assignments-mine-empty');

  await switchTo(app, LEAD);
  await app.goto(itemUrl);
  const section = app.getByRole('region', { name: 'Assignment' });
  await expect(section.getByTestId('assignee')).toHaveText('Not assigned');
  await shot('assignments-item-unassigned');
  await section.getByRole('combobox', { name: 'Assign to' }).click();
  // Only active Quality Control members are offered: not Eli (Engineering).
  await expect(app.getByRole('option', { name: /Eli Engineer/ })).toHaveCount(0);
  await app.getByRole('option', { name: /Sam Second/ }).click();
  await section.getByRole('button', { name: 'Assign', exact: true }).click();
  await expect(section.getByTestId('assignee')).toHaveText('Assigned to: Sam Second');

  await section.getByRole('combobox', { name: 'Reassign to' }).click();
  await app.getByRole('option', { name: /Quinn Inspector/ }).click();
  await section.getByLabel('Reason (optional)').fill('Quinn holds the pitot-static authorisation');
  await section.getByRole('button', { name: 'Reassign' }).click();
  await expect(section.getByTestId('assignee')).toHaveText('Assigned to: Quinn Inspector');
  await expect(section).toContainText('assigned by Lena Lead');
  await expect(section).toContainText('“Quinn holds the pitot-static authorisation”');

  const history = app.getByRole('list', { name: 'History' }).or(app.getByLabel('History', { exact: true }));
  await expect(history).toContainText('Sam Second at Quality Control');
  await expect(history).toContainText('Reassigned');
  await expect(history).toContainText('From Sam Second to Quinn Inspector at Quality Control');
  await shot('assignments-item-reassigned');

  // The holder sees it in their list, opens it and may release it (not reassign it).
  await switchTo(app, QUINN);
  await app.goto(`${new URL(app.url()).origin}/#/assigned`);
  const mine = app.getByRole('table', { name: 'Assigned to me' });
  await expect(mine).toContainText('Replace pitot probe');
  await expect(mine).toContainText('Quality Control · step 2 of 3');
  await expect(mine).toContainText('Lena Lead');
  await shot('assignments-mine');
  await mine.getByText('Replace pitot probe').click();
  await expect(section.getByTestId('assignee')).toHaveText('Assigned to: Quinn Inspector');
  await expect(section.getByRole('button', { name: 'Release' })).toBeVisible();
  await expect(section.getByRole('combobox', { name: /assign to/i })).toHaveCount(0);
  await shot('assignments-item-holder');
  // Release, then take it back: staff may do both for themselves.
  await section.getByRole('button', { name: 'Release' }).click();
  await expect(section.getByTestId('assignee')).toHaveText('Not assigned');
  await section.getByRole('button', { name: 'Take' }).click();
  await expect(section.getByTestId('assignee')).toHaveText('Assigned to: Quinn Inspector');
  await expect(section).toContainText('took it');
  await expect(history).toContainText('Quinn Inspector gave it up at Quality Control');
  await expect(history).toContainText('Quinn Inspector took it at Quality Control');

  // The printed record lists every change.
  await app.goto(`${itemUrl}/print`);
  const record = app.getByRole('region', { name: 'Assignment record' });
  await expect(record.getByRole('row')).toHaveCount(5); // header + assigned, reassigned, released, taken
  await expect(record).toContainText('Reassigned: Sam Second → Quinn Inspector');
  await shot('assignments-print');
  await app.goto(itemUrl);

  // Someone from another department sees who holds it and why they cannot change it.
  await switchTo(app, ELI);
  await app.goto(itemUrl);
  await expect(section.getByTestId('assignee')).toHaveText('Assigned to: Quinn Inspector');
  await expect(section.getByRole('note')).toHaveText('Only a lead of Quality Control or an administrator can change who holds this item.');
  await expect(section.getByRole('button')).toHaveCount(0);
  await shot('assignments-item-other-department');
});
