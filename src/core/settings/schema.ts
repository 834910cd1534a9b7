import { z } from 'zod';

export const moduleSettingsSchema = z.strictObject({
  enabled: z.boolean(),
  /** Validated by the module's own config schema, not here. */
  config: z.unknown().optional(),
});

export const settingsSchema = z.strictObject({
  $comment: z.string().optional(),
  /** Who the app acts as while no sign-in module is enabled. */
  operator: z.strictObject({ name: z.string().trim().min(1).max(100) }).default({ name: 'Hangar operator' }),
  modules: z.record(z.string(), moduleSettingsSchema).default({}),
});

export type Settings = z.infer<typeof settingsSchema>;
export type ModuleSettings = z.infer<typeof moduleSettingsSchema>;
