import { z } from 'zod';
import { nameProblem, numberProblem, tidyName } from './personRule';
import { newSecretProblem } from './secretRule';

/** Field rules shared by the contract and the handlers. */

export const ROLES = ['staff', 'lead', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A zod check from one of the plain checks the screens use too (same rule, same message). */
const checkedBy = (problem: (value: string) => string | null) => (value: string, ctx: z.RefinementCtx) => {
  const message = problem(value);
  if (message) ctx.addIssue({ code: 'custom', message });
};

export const userNameField = z.string().trim().superRefine(checkedBy(nameProblem)).transform(tidyName);

/** Employee or licence number: compared in upper case, so "e1042" and "E1042" are the same person. */
export const numberField = z
  .string()
  .trim()
  .superRefine(checkedBy(numberProblem))
  .transform((s) => s.toUpperCase());

/**
 * A new PIN or password: all digits → a PIN of at least 6 digits; anything else → a password
 * of at least 8 characters. Checked again at sign-in only for being non-empty.
 */
export const newSecretField = z.string().superRefine(checkedBy(newSecretProblem));

export const secretField = z.string().min(1, 'Enter your PIN or password').max(200, 'That is longer than any PIN or password');

export const departmentCodesField = z
  .array(z.string().trim().min(1).max(12))
  .max(50, 'At most 50 departments')
  .refine((codes) => new Set(codes).size === codes.length, 'Each department only once');
