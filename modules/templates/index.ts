import { z } from 'zod';
import { defineModule } from '../../src/core/modules/api';
import type { Actor } from '../../src/shared/types';
import { TemplateCatalog } from './catalog';
import { templatesContract, type TemplateRules } from './contract';
import { DEFAULT_RULES, keySchema, rulesSchema, stepSchema, versionFields } from './fields';
import type { TemplateDefinition } from './format';
import { TemplateService, type DepartmentDirectory } from './service';

const configSchema = z.strictObject({
  /**
   * Created on first run only, when there are no templates yet. A step is a department code
   * ("QC") or { department, minSignoffs?, targetHours? }; rules default to all off.
   */
  defaults: z
    .array(
      z.strictObject({
        key: keySchema,
        name: versionFields.name,
        description: versionFields.description,
        steps: z
          .array(z.preprocess((v) => (typeof v === 'string' ? { department: v } : v), stepSchema))
          .min(1, 'a template needs at least one step'),
        rules: rulesSchema.default(DEFAULT_RULES),
      }),
    )
    .default([]),
});

/**
 * What this module offers the modules that depend on it (read with ctx.use('templates')).
 * `source` is the WorkflowSource kept with an item: id "template:<key>" and the template
 * version it started on. Answers are about THAT version, so running items keep their rules.
 */
export interface TemplateRulesDirectory {
  /** The rules of that version; null if there is no such template or version. No version given: the current one. */
  rulesFor(source: { id: string; version?: number }): TemplateRules | null;
  /** The whole version (steps with their department codes, sign-offs and target hours, and rules), or null. */
  versionFor(source: { id: string; version?: number }): (TemplateDefinition & { version: number }) | null;
}

const FIRST_RUN: Actor = { id: 'system:first-run', name: 'Settings file defaults' };

export default defineModule({
  name: 'templates',
  version: '0.2.0',
  description: 'Workflow templates: ordered department steps with sign-off and comment rules, versioned, with import and export.',
  dependsOn: ['departments'],
  hasMigrations: true,
  providesWorkflows: true,
  configSchema,
  contract: templatesContract,
  setup({ db, storage, config, clock, transaction, use, recordChange }) {
    const departments = use<DepartmentDirectory & { addReferenceSource?(source: (code: string) => string[]): void }>('departments');
    const catalog = new TemplateCatalog(storage);
    const service = new TemplateService({ storage, catalog, clock, directory: departments, recordChange });
    // A department that a template's current version uses cannot be deleted (deactivating is fine).
    departments.addReferenceSource?.((code) => service.usingDepartment(code));
    // Setup is synchronous until modules start asynchronously (issue 17): seeding and the first
    // filling of the catalog run on ctx.db, with the store's statements.
    service.seed(config.defaults, FIRST_RUN, { db, transaction });
    service.loadCatalog(db);

    const exports: TemplateRulesDirectory = {
      rulesFor: (source) => service.rulesFor(source),
      versionFor: (source) => service.versionFor(source),
    };

    return {
      exports,
      handlers: {
        'templates.list': ({ includeInactive }) => service.list(includeInactive),
        'templates.get': ({ id, version }) => service.get(id, version),
        'templates.create': ({ key, active, ...content }, { actor }) =>
          service.create({ ...content, active, ...(key === undefined ? {} : { key }) }, actor),
        'templates.update': ({ id, expectedVersion, ...content }, { actor }) => service.update(id, expectedVersion, content, actor),
        'templates.setActive': ({ id, active }, { actor }) => service.setActive(id, active, actor),
        'templates.export': ({ id, version, format }) => service.export(id, version, format),
        'templates.import': ({ content, format }, { actor }) => service.import(content, format, actor),
      },
      workflowProvider: {
        list: () => service.choices(),
        resolve: (id) => service.resolve(id),
      },
    };
  },
});
