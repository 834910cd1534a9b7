import type { Page } from '@playwright/test';
import { expect } from './fixtures';

/** Sign-in steps the browser specs share (the users module is on in these tests). */

export const ADMIN = { name: 'Ada Admin', number: 'A100', secret: '424242' };

/** Calls a channel from the page, as its screens do. */
export const api = (page: Page, channel: string, input: unknown = {}) =>
  page.evaluate(([c, i]) => window.api[c as string]!(i), [channel, input] as const) as Promise<{ ok: boolean; value?: any; error?: any }>;

/** The first run's set-up screen: creates ADMIN and signs them in. */
export async function setUpAdmin(page: Page) {
  await expect(page.getByRole('heading', { name: 'Set up the first administrator' })).toBeVisible();
  await page.getByLabel('Your name').fill(ADMIN.name);
  await page.getByLabel('Employee or licence number').fill(ADMIN.number);
  await page.getByRole('textbox', { name: 'PIN or password', exact: true }).fill(ADMIN.secret);
  await page.getByLabel('The same again').fill(ADMIN.secret);
  await page.getByRole('button', { name: 'Create administrator and sign in' }).click();
  return keepRecoveryCode(page);
}

/** The one-time recovery code shown after set-up (and after using one): noted, then on into the app. Returns the code. */
export async function keepRecoveryCode(page: Page): Promise<string> {
  await expect(page.getByRole('heading', { name: 'Your recovery code' })).toBeVisible();
  const code = (await page.getByLabel('Recovery code').textContent())!.trim();
  expect(code).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/);
  await expect(page.getByRole('button', { name: 'Continue' })).toBeDisabled();
  await page.getByLabel('I have written it down or printed it').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('button', { name: /^Signed in: .*\. Menu$/ })).toBeVisible();
  return code;
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: /^Signed in: .*\. Menu$/ }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
}

/** On the sign-in screen: picks the person and enters their PIN. */
export async function signIn(page: Page, person: { name: string; secret: string }) {
  await page.getByRole('option', { name: new RegExp(person.name) }).click();
  await page.getByLabel(`PIN or password for ${person.name}`).fill(person.secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: `Signed in: ${person.name}. Menu` })).toBeVisible();
}
