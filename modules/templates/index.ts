import { and, asc, count, eq } from 'drizzle-orm';
import { z } from 'zod';
import { defineModule } from '../../src/core/modules/types';
import type { WorkflowChoice, WorkflowStep } from '../../src/shared/types';
import { templatesContract, type TemplateSummary } from './contract';
import { templates, templateVersions } from './schema';

const configSchema = z.strictObject({
  /** Created on first run only, when there are no templates yet. */
  defaults: z
    .array(
      z.strictObject({
        key: z.string().trim().min(1).max(40).regex(/^[a-z0-9-]+$/, 'keys are lower-case letters, digits and -'),
        name: z.string().trim().min(1).max(80),
        description: z.string().trim().max(500).default(''),
        steps: z.array(z.string().trim().min(1)).min(1, 'a template needs at least one step'),
      }),
    )
    .default([]),
});

/** The part of the departments module this one relies on (its exports). */
interface DepartmentDirectory {
  byCode(code: string): { name: string; code: string; active: boolean } | null;
}

const choiceId = (key: string) => `template:${key}`;

export default defineModule({
  name: 'templates',
  version: '0.1.0',
  description: 'Workflow templates: the ordered department steps an item follows.',
  dependsOn: ['departments'],
  hasMigrations: true,
  configSchema,
  contract: templatesContract,
  setup({ db, config, clock, transaction, use }) {
    const directory = use<DepartmentDirectory>('departments');

    const toSteps = (codes: string[]): WorkflowStep[] =>
      codes.map((code) => ({ name: directory.byCode(code)?.name ?? code, ref: code }));

    transaction(() => {
      if ((db.select({ n: count() }).from(templates).get()?.n ?? 0) > 0) return;
      for (const t of config.defaults) {
        const missing = t.steps.filter((code) => !directory.byCode(code)?.active);
        if (missing.length) throw new Error(`default template "${t.key}" names unknown department(s) ${missing.join(', ')}`);
        const now = clock();
        const { id } = db
          .insert(templates)
          .values({ key: t.key, name: t.name, description: t.description, active: true, currentVersion: 1, createdAt: now })
          .returning({ id: templates.id })
          .get();
        db.insert(templateVersions).values({ templateId: id, version: 1, stepsJson: JSON.stringify(t.steps), createdAt: now }).run();
      }
    });

    const summaries = (includeInactive: boolean): TemplateSummary[] =>
      db
        .select()
        .from(templates)
        .innerJoin(
          templateVersions,
          and(eq(templateVersions.templateId, templates.id), eq(templateVersions.version, templates.currentVersion)),
        )
        .where(includeInactive ? undefined : eq(templates.active, true))
        .orderBy(asc(templates.name))
        .all()
        .map(({ templates: t, template_versions: v }) => ({
          id: t.id,
          key: t.key,
          name: t.name,
          description: t.description,
          active: t.active,
          version: v.version,
          steps: toSteps(JSON.parse(v.stepsJson) as string[]),
        }));

    const toChoice = (t: TemplateSummary): WorkflowChoice => ({
      id: choiceId(t.key),
      label: t.name,
      description: t.description,
      version: t.version,
      steps: t.steps,
    });

    return {
      handlers: {
        'templates.list': ({ includeInactive }) => summaries(includeInactive),
      },
      workflowProvider: {
        list: () => summaries(false).map(toChoice),
        resolve: (id) => {
          const found = summaries(false).find((t) => choiceId(t.key) === id);
          return found ? toChoice(found) : null;
        },
      },
    };
  },
});
