import { z } from 'zod';

/** The rules for a department's name and code, shared by the IPC contract and the settings file. */

export const NAME_MAX = 80;
export const CODE_MAX = 12;

/** Trimmed, with every run of white space (tabs, new lines) made one space. */
export const normalizeName = (name: string) => name.trim().replace(/\s+/g, ' ');

/** What two names are compared by: "Quality  control" and "quality Control" are the same name. */
export const nameKey = (name: string) => normalizeName(name).normalize('NFKC').toLowerCase();

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export const nameField = z
  .string()
  .trim()
  .min(1, 'Enter a name')
  .max(NAME_MAX, `A name is at most ${NAME_MAX} characters`)
  .transform(normalizeName)
  .refine((s) => !CONTROL.test(s), 'A name cannot contain control characters');

export const codeField = z
  .string()
  .trim()
  .min(1, 'Enter a code')
  .max(CODE_MAX, `A code is at most ${CODE_MAX} characters`)
  .regex(/^[A-Z0-9_-]+$/, 'Codes are capital letters, digits, - and _ (e.g. QC or NDT-2)');
