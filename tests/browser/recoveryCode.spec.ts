import { expect, test } from './fixtures';
import { ADMIN, keepRecoveryCode, setUpAdmin, signOut } from './signIn';

/** Wrong PINs lock the administrator out at this terminal; their recovery code lets them in. */
test.use({ users: { maxFailedAttempts: 2 } });

test('an administrator locked out signs in with the recovery code and gets a new one', async ({ app, shot }) => {
  const code = await setUpAdmin(app);
  await signOut(app);
  await app.getByRole('option', { name: /Ada Admin/ }).click();
  for (const guess of ['000000', '000001']) {
    await app.getByLabel('PIN or password for Ada Admin').fill(guess);
    await app.getByRole('button', { name: 'Sign in' }).click();
    await expect(app.getByRole('alert')).toContainText('PIN or password incorrect.');
  }
  await expect(app.getByRole('alert')).toContainText('Ada Admin is locked at this terminal until');
  // The right PIN gets the same answer while locked.
  await app.getByLabel('PIN or password for Ada Admin').fill(ADMIN.secret);
  await app.getByRole('button', { name: 'Sign in' }).click();
  await expect(app.getByRole('alert')).toContainText(/^Not signed inAda Admin is locked at this terminal until/);
  await shot('users-locked-out');

  await app.getByRole('button', { name: 'Administrator locked out? Use a recovery code' }).click();
  await app.getByLabel('Recovery code for Ada Admin').fill('AAAAA-BBBBB-CCCCC-DDDDD');
  await app.getByRole('button', { name: 'Sign in' }).click();
  await expect(app.getByRole('alert')).toContainText('That recovery code is not valid for this person.');
  await app.getByLabel('Recovery code for Ada Admin').fill(code.toLowerCase());
  await shot('users-recovery-sign-in');
  await app.getByRole('button', { name: 'Sign in' }).click();
  const fresh = await keepRecoveryCode(app);
  expect(fresh).not.toBe(code);
  await expect(app.getByRole('heading', { name: 'Dashboard' })).toBeVisible();

  // The lockouts are in the audit trail, with the terminals they came from.
  await app.goto(`${new URL(app.url()).origin}/#/settings/audit`);
  await expect(app.getByRole('table').first()).toContainText('Locked out');
  await shot('users-lockouts-in-audit');

  // And a new code can be made from the header menu, for the PIN.
  await app.goto(`${new URL(app.url()).origin}/#/`);
  await app.getByRole('button', { name: 'Signed in: Ada Admin. Menu' }).click();
  await app.getByRole('menuitem', { name: 'New recovery code…' }).click();
  const dialog = app.getByRole('dialog', { name: 'New recovery code' });
  await dialog.getByLabel('Your PIN or password').fill(ADMIN.secret);
  await dialog.getByRole('button', { name: 'Make a new code' }).click();
  await expect(dialog.getByLabel('Recovery code')).toHaveText(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/);
  await shot('users-new-recovery-code');
});
