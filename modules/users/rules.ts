import { z } from 'zod';
import { PASSWORD_MIN, PIN_MIN, SECRET_MAX } from './secretRule';

/** Field rules shared by the contract and the handlers. */

export const ROLES = ['staff', 'lead', 'admin'] as const;
export type Role = (typeof ROLES)[number];


// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export const userNameField = z
  .string()
  .trim()
  .min(1, 'Enter the person’s name')
  .max(100, 'A name is at most 100 characters')
  .transform((s) => s.replace(/\s+/g, ' '))
  .refine((s) => !CONTROL.test(s), 'A name cannot contain control characters');

/** Employee or licence number: compared in upper case, so "e1042" and "E1042" are the same person. */
export const numberField = z
  .string()
  .trim()
  .min(1, 'Enter the employee or licence number')
  .max(30, 'A number is at most 30 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9./-]*$/, 'A number is letters and digits, with - / . inside (e.g. E1042 or UK.66/1234)')
  .transform((s) => s.toUpperCase());

/**
 * A new PIN or password: all digits → a PIN of at least 6 digits; anything else → a password
 * of at least 8 characters. Checked again at sign-in only for being non-empty.
 */
export const newSecretField = z
  .string()
  .max(SECRET_MAX, `At most ${SECRET_MAX} characters`)
  .superRefine((typed, ctx) => {
    // Judged as it is hashed (NFKC): full-width "１１１１１１" is the PIN 111111.
    const secret = typed.normalize('NFKC');
    if (/^\d*$/.test(secret)) {
      if (secret.length < PIN_MIN) ctx.addIssue({ code: 'custom', message: `A PIN needs at least ${PIN_MIN} digits (or use a password of at least ${PASSWORD_MIN} characters)` });
      else if (/^(\d)\1+$/.test(secret)) ctx.addIssue({ code: 'custom', message: 'A PIN cannot be one digit repeated' });
    } else if (secret.length < PASSWORD_MIN) {
      ctx.addIssue({ code: 'custom', message: `A password needs at least ${PASSWORD_MIN} characters (or use a PIN of at least ${PIN_MIN} digits)` });
    } else if (secret.trim() !== secret) {
      ctx.addIssue({ code: 'custom', message: 'A password cannot start or end with a space' });
    }
  });

export const secretField = z.string().min(1, 'Enter your PIN or password').max(200, 'That is longer than any PIN or password');

export const departmentCodesField = z
  .array(z.string().trim().min(1).max(12))
  .max(50, 'At most 50 departments')
  .refine((codes) => new Set(codes).size === codes.length, 'Each department only once');
