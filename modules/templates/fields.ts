import { z } from 'zod';
import { cleanText, isCleanText, UNCLEAN_TEXT_MESSAGE } from '../../src/shared/text';

/** Input rules shared by the channels (contract.ts), the settings defaults and the file format. */

const text = (max: number) => cleanText(max);

export const keySchema = text(40)
  .min(1, 'Give the template a key')
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'A key is lower-case letters and digits, with single dashes between words (e.g. "heavy-check")');

export const stepSchema = z.strictObject({
  department: z.string('Each step needs a department code').trim().min(1, 'Choose a department').max(12, 'A department code is at most 12 characters'),
  minSignoffs: z
    .number('Minimum sign-offs must be a number')
    .int('Minimum sign-offs must be a whole number')
    .min(1, 'At least 1 sign-off')
    .max(5, 'At most 5 sign-offs')
    .default(1),
  targetHours: z
    .number('Target hours must be a number')
    .positive('Target hours must be more than 0')
    .max(10_000, 'Target hours can be at most 10,000')
    .optional(),
});

export const DEFAULT_RULES = { commentOnReject: false, commentOnEveryAction: false, noSelfApproval: false, eSignature: false } as const;

export const rulesSchema = z.strictObject({
  commentOnReject: z.boolean('Must be true or false').default(false),
  commentOnEveryAction: z.boolean('Must be true or false').default(false),
  noSelfApproval: z.boolean('Must be true or false').default(false),
  eSignature: z.boolean('Must be true or false').default(false),
});

/** What a version is made of; the same for create and update (an update replaces the whole version). */
export const versionFields = {
  name: z.string('A template needs a name').trim().min(1, 'A template needs a name').max(80, 'A name is at most 80 characters').refine((s) => isCleanText(s), UNCLEAN_TEXT_MESSAGE),
  description: z.string('The description is text').trim().max(500, 'A description is at most 500 characters').refine((s) => isCleanText(s, true), UNCLEAN_TEXT_MESSAGE).default(''),
  steps: z
    .array(stepSchema, 'The steps are a list')
    .min(1, 'A template needs at least one step.')
    .max(30, 'A template can have at most 30 steps.'),
  rules: rulesSchema.default(DEFAULT_RULES),
};

export type StepInput = z.output<typeof stepSchema>;
export type RulesInput = z.output<typeof rulesSchema>;
