/**
 * What a template may hold, and what the core says when it holds something else. fields.ts
 * refuses with these; the editor checks the same numbers and messages before it sends anything.
 * No zod here: the renderer imports this file.
 */
export const TEMPLATE_LIMITS = {
  name: 80,
  key: 40,
  description: 500,
  departmentCode: 12,
  steps: 30,
  minSignoffs: 5,
  targetHours: 10_000,
} as const;

/** "heavy-check": lower-case letters and digits, single dashes between words. */
export const KEY_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const TEMPLATE_MESSAGES = {
  nameRequired: 'A template needs a name',
  keyFormat: 'A key is lower-case letters and digits, with single dashes between words (e.g. "heavy-check")',
  stepsRequired: 'A template needs at least one step.',
  tooManySteps: `A template can have at most ${TEMPLATE_LIMITS.steps} steps.`,
  minSignoffsLow: 'At least 1 sign-off',
  minSignoffsHigh: `At most ${TEMPLATE_LIMITS.minSignoffs} sign-offs`,
  targetHoursLow: 'Target hours must be more than 0',
  targetHoursHigh: `Target hours can be at most ${TEMPLATE_LIMITS.targetHours.toLocaleString('en')}`,
} as const;
