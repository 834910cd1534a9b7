import { z } from 'zod';
import { cleanText, isCleanText, UNCLEAN_TEXT_MESSAGE } from '../../src/shared/text';
import { KEY_PATTERN, TEMPLATE_LIMITS as LIMITS, TEMPLATE_MESSAGES as MESSAGES } from './limits';

/** Input rules shared by the channels (contract.ts), the settings defaults and the file format. */

const text = (max: number) => cleanText(max);

export const keySchema = text(LIMITS.key).min(1, 'Give the template a key').regex(KEY_PATTERN, MESSAGES.keyFormat);

export const stepSchema = z.strictObject({
  department: z
    .string('Each step needs a department code')
    .trim()
    .min(1, 'Choose a department')
    .max(LIMITS.departmentCode, `A department code is at most ${LIMITS.departmentCode} characters`),
  minSignoffs: z
    .number('Minimum sign-offs must be a number')
    .int('Minimum sign-offs must be a whole number')
    .min(1, MESSAGES.minSignoffsLow)
    .max(LIMITS.minSignoffs, MESSAGES.minSignoffsHigh)
    .default(1),
  targetHours: z
    .number('Target hours must be a number')
    .positive(MESSAGES.targetHoursLow)
    .max(LIMITS.targetHours, MESSAGES.targetHoursHigh)
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
  name: z
    .string(MESSAGES.nameRequired)
    .trim()
    .min(1, MESSAGES.nameRequired)
    .max(LIMITS.name, `A name is at most ${LIMITS.name} characters`)
    .refine((s) => isCleanText(s), UNCLEAN_TEXT_MESSAGE),
  description: z
    .string('The description is text')
    .trim()
    .max(LIMITS.description, `A description is at most ${LIMITS.description} characters`)
    .refine((s) => isCleanText(s, true), UNCLEAN_TEXT_MESSAGE)
    .default(''),
  steps: z
    .array(stepSchema, 'The steps are a list')
    .min(1, MESSAGES.stepsRequired)
    .max(LIMITS.steps, MESSAGES.tooManySteps),
  rules: rulesSchema.default(DEFAULT_RULES),
};

export type StepInput = z.output<typeof stepSchema>;
export type RulesInput = z.output<typeof rulesSchema>;
