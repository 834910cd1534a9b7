import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { ADMIN, api, keepRecoveryCode, setUpAdmin, signIn, signOut } from './signIn';

/** Sign-in at a shared terminal, permissions and e-signatures, in the real renderer against the real core. */
test.use({ users: { maxFailedAttempts: 3 } });

const QC = { name: 'Quinn Inspector', number: 'QC-7', secret: '271828', role: 'staff', departments: ['QC'] };
const ENG = { name: 'Eli Engineer', number: 'E-12', secret: '161803', role: 'staff', departments: ['ENG'] };

async function addPeople(page: Page, ...people: (typeof QC)[]) {
  for (const p of people) expect(await api(page, 'users.create', p)).toMatchObject({ ok: true });
}

/** An item of the Standard template, approved at Engineering by the admin, so it waits at Quality Control. */
async function itemAtQc(page: Page): Promise<number> {
  const created = await api(page, 'workItems.create', { title: 'Replace pitot probe', workflowId: 'template:standard', submit: true });
  const item = created.value;
  expect(await api(page, 'workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: ADMIN.secret } })).toMatchObject({ ok: true });
  return item.id;
}

test('first run asks for the first administrator, explains mistakes, and signs them in', async ({ app, shot }) => {
  await expect(app.getByRole('heading', { name: 'Set up the first administrator' })).toBeVisible();
  await shot('users-first-run');
  await app.getByLabel('Your name').fill(ADMIN.name);
  await app.getByLabel('Employee or licence number').fill(ADMIN.number);
  await app.getByRole('textbox', { name: 'PIN or password', exact: true }).fill('1234');
  await app.getByLabel('The same again').fill('1234');
  await app.getByRole('button', { name: 'Create administrator and sign in' }).click();
  await expect(app.getByText('A PIN needs at least 6 digits (or use a password of at least 8 characters)')).toBeVisible();
  await shot('users-first-run-error');
  await app.getByRole('textbox', { name: 'PIN or password', exact: true }).fill(ADMIN.secret);
  await app.getByLabel('The same again').fill('424243');
  await app.getByRole('button', { name: 'Create administrator and sign in' }).click();
  await expect(app.getByText('The two entries differ; type the same PIN or password twice')).toBeVisible();
  await app.getByLabel('The same again').fill(ADMIN.secret);
  await app.getByRole('button', { name: 'Create administrator and sign in' }).click();
  await expect(app.getByRole('heading', { name: 'Your recovery code' })).toBeVisible();
  await shot('users-recovery-code');
  await keepRecoveryCode(app);
  await expect(app.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await app.getByRole('button', { name: 'Signed in: Ada Admin. Menu' }).click();
  await expect(app.getByRole('menu')).toContainText('Ada Admin · A100');
  await shot('users-header-menu');
});

test('the users settings panel adds, edits and deactivates people, and protects the last admin', async ({ app, shot }) => {
  await setUpAdmin(app);
  await app.goto(`${new URL(app.url()).origin}/#/settings/users`);
  const table = app.getByRole('table', { name: 'Users' });
  await expect(table).toContainText('Ada Admin');
  await app.getByRole('button', { name: 'Add person' }).click();
  const dialog = app.getByRole('dialog', { name: 'Add person' });
  await dialog.getByLabel('Name').fill(QC.name);
  await dialog.getByLabel('Employee or licence number').fill('A100');
  await dialog.getByRole('combobox', { name: 'Departments' }).click();
  await app.getByRole('option', { name: 'Quality Control' }).click();
  await dialog.getByLabel('First PIN or password').fill(QC.secret);
  await dialog.getByLabel('The same again').fill(QC.secret);
  await dialog.getByRole('button', { name: 'Add person' }).click();
  // The core's refusal stands on the field it is about, which takes the focus.
  const number = dialog.getByLabel('Employee or licence number');
  await expect(number).toHaveAccessibleDescription('The number A100 already belongs to Ada Admin.');
  await expect(number).toHaveAttribute('aria-invalid', 'true');
  await expect(number).toBeFocused();
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await shot('users-add-person-error');
  await dialog.getByLabel('Employee or licence number').fill(QC.number);
  await dialog.getByRole('button', { name: 'Add person' }).click();
  await expect(dialog).toBeHidden();
  await expect(table.getByRole('row', { name: /Quinn Inspector/ })).toContainText('Quality Control');

  await app.getByRole('button', { name: 'Edit Quinn Inspector' }).click();
  const edit = app.getByRole('dialog', { name: 'Edit Quinn Inspector' });
  await edit.getByRole('combobox', { name: 'Role' }).click();
  await app.getByRole('option', { name: /^Lead/ }).click();
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await expect(table.getByRole('row', { name: /Quinn Inspector/ })).toContainText('Lead');

  await app.getByRole('button', { name: 'Deactivate Ada Admin' }).click();
  await expect(app.getByRole('alert')).toContainText('Ada Admin is the last active administrator and cannot be deactivated');
  await app.getByRole('button', { name: 'Deactivate Quinn Inspector' }).click();
  await expect(table.getByRole('row', { name: /Quinn Inspector/ })).toContainText('Inactive');
  await shot('users-settings-panel');
});

test('the person dialog checks each field before it asks the core, on its field, and focuses the first one to fix', async ({ app }) => {
  await setUpAdmin(app);
  await app.goto(`${new URL(app.url()).origin}/#/settings/users`);
  await app.getByRole('button', { name: 'Add person' }).click();
  const dialog = app.getByRole('dialog', { name: 'Add person' });
  const name = dialog.getByLabel('Name');
  const number = dialog.getByLabel('Employee or licence number');
  const pin = dialog.getByLabel('First PIN or password');
  const again = dialog.getByLabel('The same again');
  const add = dialog.getByRole('button', { name: 'Add person' });

  // Nothing filled in: every required field says what it needs; the first one has the focus.
  await add.click();
  await expect(name).toHaveAccessibleDescription('Enter the person’s name');
  await expect(number).toHaveAccessibleDescription('Enter the employee or licence number');
  await expect(pin).toHaveAccessibleDescription('A PIN needs at least 6 digits (or use a password of at least 8 characters)');
  await expect(name).toBeFocused();

  // A pasted name is kept whole (nothing cut) and refused for its length; the PIN follows the core's rule.
  await name.fill('N'.repeat(101));
  await expect(name).toHaveValue('N'.repeat(101));
  await number.fill('E 12');
  await pin.fill('111111');
  await again.fill('222222');
  await add.press('Enter');
  await expect(name).toHaveAccessibleDescription('A name is at most 100 characters; this one has 101');
  await expect(number).toHaveAccessibleDescription('A number is letters and digits, with - / . inside (e.g. E1042 or UK.66/1234)');
  await expect(pin).toHaveAccessibleDescription('A PIN cannot be one digit repeated');
  await expect(again).toHaveAccessibleDescription('The two entries differ; type the same PIN or password twice');
  await expect(name).toBeFocused();

  // Typing in a field clears its error; the next save focuses the first field still wrong.
  await name.fill('Quinn Inspector');
  await expect(name).not.toHaveAttribute('aria-invalid', 'true');
  await number.fill('QC-7');
  await add.click();
  await expect(pin).toBeFocused();
  await pin.fill('271828');
  await again.press('Enter');
  await expect(again).toBeFocused();
  await again.fill('271828');
  await again.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(app.getByRole('table', { name: 'Users' }).getByRole('row', { name: /Quinn Inspector/ })).toContainText('QC-7');
});

test('sign in by picking a name; a wrong PIN says how many tries are left, then locks the person out until a time', async ({ app, shot }) => {
  await setUpAdmin(app);
  await addPeople(app, QC, ENG);
  await signOut(app);
  await expect(app.getByRole('listbox', { name: 'People' })).toContainText('Quinn Inspector');
  await app.getByPlaceholder('Search by name or number').fill('qc-');
  await expect(app.getByRole('option')).toHaveCount(1);
  await app.getByRole('option', { name: /Quinn Inspector/ }).click();
  await shot('users-sign-in');
  for (const left of ['2 more attempts', '1 more attempt']) {
    await app.getByLabel('PIN or password for Quinn Inspector').fill('000000');
    await app.getByRole('button', { name: 'Sign in' }).click();
    await expect(app.getByRole('alert')).toContainText(`PIN or password incorrect. ${left} before Quinn Inspector is locked at this terminal for 15 minutes.`);
  }
  await app.getByLabel('PIN or password for Quinn Inspector').fill('000000');
  await app.getByRole('button', { name: 'Sign in' }).click();
  // Past 23:45 the lock ends the next day, and the time says which ("until 00:05 on 8 Dec").
  await expect(app.getByRole('alert')).toContainText(/Quinn Inspector is locked at this terminal until \d\d:\d\d( on \d{1,2} \w+)? after too many wrong PINs or passwords\./);
  await shot('users-lockout');
  // Someone else may still sign in here, typing their number.
  await app.getByRole('button', { name: 'Type my number instead' }).click();
  await app.getByLabel('Employee or licence number').fill(ENG.number);
  await app.getByRole('textbox', { name: 'PIN or password', exact: true }).fill(ENG.secret);
  await app.getByRole('button', { name: 'Sign in' }).click();
  await expect(app.getByRole('button', { name: 'Signed in: Eli Engineer. Menu' })).toBeVisible();
});

test('a signed approval: the PIN in the dialog, the signature on the item; a non-member is refused with the reason', async ({ app, shot }) => {
  await setUpAdmin(app);
  await addPeople(app, QC, ENG);
  const id = await itemAtQc(app);
  const itemUrl = `${new URL(app.url()).origin}/#/items/${id}`;

  // Eli is in Engineering: the core refuses, and the screen says why before anyone clicks.
  await signOut(app);
  await signIn(app, ENG);
  await app.goto(itemUrl);
  await expect(app.getByRole('button', { name: 'Approve' })).toBeDisabled();
  await expect(app.getByRole('note').filter({ hasText: 'approve' })).toHaveText('Only Quality Control members can approve or reject here.');
  await shot('users-approval-refused');
  const refused = await api(app, 'workItems.approve', { id, expectedVersion: 2, signature: { secret: ENG.secret } });
  expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: 'Only Quality Control members can approve or reject here.' } });

  // Quinn switches in (Switch user) and signs.
  await app.getByRole('button', { name: 'Signed in: Eli Engineer. Menu' }).click();
  await app.getByRole('menuitem', { name: 'Switch user' }).click();
  await expect(app.getByRole('heading', { name: 'Switch user' })).toBeVisible();
  await signIn(app, QC);
  await expect(app.getByRole('heading', { name: 'Replace pitot probe' })).toBeVisible();
  // Quinn's dashboard lists what waits at Quinn's own department without choosing it.
  await app.goto(`${new URL(app.url()).origin}/#/`);
  const mine = app.getByRole('table', { name: 'Waiting at my departments' });
  await expect(mine.getByRole('row', { name: /Replace pitot probe/ })).toBeVisible();
  await mine.getByRole('row', { name: /Replace pitot probe/ }).click();
  await expect(app.getByRole('heading', { name: 'Replace pitot probe' })).toBeVisible();
  await app.getByRole('button', { name: 'Approve' }).click();
  const dialog = app.getByRole('dialog', { name: 'Approve this step' });
  const pin = dialog.getByLabel('Sign with your PIN or password');
  await expect(pin).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Approve' })).toBeDisabled();
  await pin.fill('999999');
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await expect(dialog.getByRole('alert')).toContainText('PIN incorrect: nothing was signed.');
  await pin.fill(QC.secret);
  await shot('users-signature-dialog');
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await expect(dialog).toBeHidden();
  // One sign-off record: the approvals with the signer's number, role and e-signature.
  const record = app.getByRole('region', { name: 'Sign-off record' });
  await expect(record.getByRole('row', { name: /Approved at Quality Control/ })).toContainText('Quinn Inspector');
  await expect(record.getByRole('row', { name: /Approved at Quality Control/ })).toContainText('QC-7 · Staff');
  await expect(record.getByRole('row', { name: /Approved at Quality Control/ })).toContainText('E-signed');
  await expect(record.getByRole('row', { name: /Approved at Engineering/ })).toContainText('A100 · Administrator');
  await expect(app.getByRole('region', { name: 'Electronic signatures' })).toHaveCount(0);
  await shot('users-item-signatures');
});

test('Lock keeps the screen underneath; the same PIN unlocks it where it was', async ({ app, shot }) => {
  await setUpAdmin(app);
  await app.getByRole('link', { name: 'Create item' }).click();
  await app.getByLabel('Title').fill('Half-typed work order');
  await app.getByRole('button', { name: 'Lock' }).click();
  await expect(app.getByRole('heading', { name: 'Locked' })).toBeVisible();
  await expect(app.getByLabel('Title')).toBeHidden();
  await shot('users-lock-screen');
  // The core refuses this terminal's calls while it is locked.
  expect(await api(app, 'workItems.list', {})).toMatchObject({ ok: false, error: { code: 'SIGNED_OUT' } });
  await app.getByLabel('PIN or password for Ada Admin').fill('000000');
  await app.getByRole('button', { name: 'Unlock' }).click();
  await expect(app.getByRole('alert')).toContainText('PIN or password incorrect.');
  await app.getByLabel('PIN or password for Ada Admin').fill(ADMIN.secret);
  await app.getByRole('button', { name: 'Unlock' }).click();
  // The form underneath is back as it was (it stays mounted, hidden, while locked: wait until it shows).
  await expect(app.getByRole('heading', { name: 'Locked' })).toBeHidden();
  await expect(app.getByLabel('Title')).toBeVisible();
  await expect(app.getByLabel('Title')).toHaveValue('Half-typed work order');
  // Ctrl+L locks too.
  await app.keyboard.press('Control+l');
  await expect(app.getByRole('heading', { name: 'Locked' })).toBeVisible();
});

test('people change their own PIN from the header menu; a wrong current one is refused and nothing changes', async ({ app, shot }) => {
  await setUpAdmin(app);
  await addPeople(app, ENG);
  await signOut(app);
  await signIn(app, ENG);
  await app.getByRole('button', { name: `Signed in: ${ENG.name}. Menu` }).click();
  await app.getByRole('menuitem', { name: 'Change my PIN or password…' }).click();
  const dialog = app.getByRole('dialog', { name: 'Change my PIN or password' });
  await dialog.getByLabel('Current PIN or password').fill('000000');
  await dialog.getByLabel('New PIN or password').fill('583920');
  await dialog.getByLabel('The new one again').fill('583920');
  await dialog.getByRole('button', { name: 'Change' }).click();
  await expect(dialog.getByText(/The current PIN or password is incorrect: nothing was changed\. 2 more attempts/)).toBeVisible();
  await shot('users-change-own-pin-error');
  await dialog.getByLabel('Current PIN or password').fill(ENG.secret);
  await dialog.getByRole('button', { name: 'Change' }).click();
  await expect(dialog.getByText('Use the new PIN or password from now on')).toBeVisible();
  await shot('users-change-own-pin-done');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await signOut(app);
  await signIn(app, { ...ENG, secret: '583920' });
});

test('a signature binds to what its signer saw: when someone else signs first, the open dialog signs nothing', async ({ app, browser, harness, shot }) => {
  const RITA = { name: 'Rita Lead', number: 'R-1', secret: '314159', role: 'lead', departments: ['QC', 'OPS'] };
  await setUpAdmin(app);
  await addPeople(app, QC, RITA);
  const id = await itemAtQc(app);
  const itemUrl = `${harness.url.replace(/\/$/, '')}/#/items/${id}`;
  await signOut(app);
  await signIn(app, RITA);
  await app.goto(itemUrl);
  await app.getByRole('button', { name: 'Approve' }).click();
  const dialog = app.getByRole('dialog', { name: 'Approve this step' });
  await expect(dialog).toContainText('signing off Quality Control');
  await dialog.getByLabel('Sign with your PIN or password').fill(RITA.secret);

  // Meanwhile Quinn, at another terminal, signs off Quality Control.
  const other = await (await browser.newContext()).newPage();
  await other.goto(harness.url);
  await signIn(other, QC);
  await other.goto(itemUrl);
  await other.getByRole('button', { name: 'Approve' }).click();
  const otherDialog = other.getByRole('dialog', { name: 'Approve this step' });
  await otherDialog.getByLabel('Sign with your PIN or password').fill(QC.secret);
  await otherDialog.getByLabel('Sign with your PIN or password').press('Enter');
  await expect(otherDialog).toBeHidden();

  // Rita's dialog keeps what she saw, says the item moved, and will not sign Operations.
  await expect(dialog.getByRole('alert')).toContainText('Someone moved this item since you opened this dialog (now: Operations · step 3 of 3). Nothing was signed.');
  await expect(dialog).toContainText('signing off Quality Control');
  await expect(dialog.getByRole('button', { name: 'Approve' })).toBeDisabled();
  await shot('users-signature-changed-meanwhile');
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(dialog).toBeHidden();
  const record = app.getByRole('region', { name: 'Sign-off record' });
  await expect(record.getByRole('row', { name: /Approved at Quality Control/ })).toContainText('Quinn Inspector');
  await expect(record.getByRole('row', { name: /Approved at Operations/ })).toHaveCount(0);
  // Even a page that kept the old version and step is refused by the core, and nothing is signed.
  const forced = await api(app, 'workItems.approve', { id, expectedVersion: 2, expectedStep: 1, signature: { secret: RITA.secret } });
  expect(forced).toMatchObject({ ok: false, error: { code: 'STALE_VERSION' } });
  await other.context().close();
});
