import { z } from 'zod';
import { adminCommand, query } from '../../src/shared/channel';
import type { Actor } from '../../src/shared/types';
import { keySchema, versionFields } from './fields';

// Only the contract object may be exported as a value from this file: the preload treats every
// exported object's dotted keys as channel names. Types are fine.

export interface TemplateRules {
  /** A reject needs a comment (the reason). */
  commentOnReject: boolean;
  /** Every action (approve, reject, cancel, submit) needs a comment. */
  commentOnEveryAction: boolean;
  /** The person who created an item may not approve it. */
  noSelfApproval: boolean;
  /**
   * Approving, rejecting and cancelling are electronic signatures (the PIN or password is
   * re-entered) on items of this template, whatever the sign-in module's own settings ask.
   */
  eSignature: boolean;
}

/** The department a step uses, as it stands now. */
export type DepartmentState = 'active' | 'inactive' | 'missing';

export interface TemplateStepView {
  /** Department code, as stored in the version. */
  department: string;
  /** The department's name now (its code if the department no longer exists). */
  name: string;
  minSignoffs: number;
  targetHours?: number;
  departmentState: DepartmentState;
}

export interface TemplateSummary {
  id: number;
  key: string;
  name: string;
  description: string;
  active: boolean;
  /** The version shown (templates.list: the current one). */
  version: number;
  currentVersion: number;
  steps: TemplateStepView[];
  rules: TemplateRules;
  /** When this version was saved (ISO). */
  savedAt: string;
  /** Why new items cannot start from it now (a department has become inactive…); empty when usable. */
  problems: string[];
}

export type VersionOrigin = 'default' | 'created' | 'edited' | 'imported';

export interface TemplateVersionInfo {
  version: number;
  name: string;
  savedAt: string;
  savedBy: Actor;
  origin: VersionOrigin;
  /** Department codes in order, with their sign-offs, for a one-line view. */
  steps: { department: string; minSignoffs: number; targetHours?: number }[];
  rules: TemplateRules;
}

export interface TemplateDetail extends TemplateSummary {
  /** Every version, newest first. */
  versions: TemplateVersionInfo[];
}

export interface TemplateExport {
  fileName: string;
  content: string;
  format: 'json' | 'yaml';
}

export interface TemplateImport {
  /** created: a new template; new-version: the file's key matched one here; unchanged: it matched its current version exactly. */
  outcome: 'created' | 'new-version' | 'unchanged';
  message: string;
  template: TemplateDetail;
}

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const format = z.enum(['json', 'yaml'], 'The format is "json" or "yaml"');

export const templatesContract = {
  'templates.list': query<TemplateSummary[]>()(z.strictObject({ includeInactive: z.boolean().default(false) })),

  /** One template at a version (default: its current one), with its version history. */
  'templates.get': query<TemplateDetail>()(z.strictObject({ id, version: id.optional() })),

  /** A new template at version 1. Without a key, one is made from the name. */
  'templates.create': adminCommand<TemplateDetail>()(
    z.strictObject({ key: keySchema.optional(), ...versionFields, active: z.boolean().default(true) }),
  ),

  /** Saves version expectedVersion + 1; refused if the template is no longer at expectedVersion. */
  'templates.update': adminCommand<TemplateDetail>()(z.strictObject({ id, expectedVersion: id, ...versionFields })),

  /** Offers the template for new items, or stops offering it. Running items are not affected. */
  'templates.setActive': adminCommand<TemplateSummary>()(z.strictObject({ id, active: z.boolean() })),

  /** The template at a version (default: current) as a file (see modules/templates/README.md). */
  'templates.export': query<TemplateExport>()(z.strictObject({ id, version: id.optional(), format })),

  /**
   * A template file: a new template, or — when its key matches one here — a new version of it.
   * The format is guessed from the content when not given.
   */
  'templates.import': adminCommand<TemplateImport>()(
    z.strictObject({
      content: z.string().max(200_000, 'The file is too large for a template (at most 200,000 characters).'),
      format: format.optional(),
    }),
  ),
} as const;
