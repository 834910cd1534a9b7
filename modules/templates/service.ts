import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { ModuleContext } from '../../src/core/modules/types';
import { AppError } from '../../src/shared/errors';
import type { Actor, WorkflowChoice, WorkflowStep } from '../../src/shared/types';
import type {
  DepartmentState,
  TemplateDetail,
  TemplateExport,
  TemplateImport,
  TemplateRules,
  TemplateStepView,
  TemplateSummary,
  TemplateVersionInfo,
  VersionOrigin,
} from './contract';
import {
  describeIssue,
  exportFileName,
  parseTemplateFile,
  sameDefinition,
  serialise,
  normalise,
  type FileIssue,
  type StoredStep,
  type TemplateDefinition,
} from './format';
import { templates, templateVersions } from './schema';
import { slugify } from './slug';

type Db = ModuleContext<unknown>['db'];
type TemplateRow = typeof templates.$inferSelect;
type VersionRow = typeof templateVersions.$inferSelect;

/** The part of the departments module this one relies on (its exports). */
export interface DepartmentDirectory {
  byCode(code: string): { name: string; code: string; active: boolean } | null;
}

/** A WorkflowSource id, as stored with every item started from a template. */
export const choiceId = (key: string) => `template:${key}`;
export const keyFromChoiceId = (id: string): string | null => (id.startsWith('template:') ? id.slice('template:'.length) : null);

export type Content = Omit<TemplateDefinition, 'key'>;

export interface TemplateServiceDeps {
  db: Db;
  clock: () => number;
  transaction<T>(fn: () => T): T;
  directory: DepartmentDirectory;
  recordChange: ModuleContext<unknown>['recordChange'];
}

const iso = (ms: number) => new Date(ms).toISOString();

export { slugify };

const validation = (issues: FileIssue[], lead?: string) => {
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  const text = lead ? `${lead}: ${describeIssue(first)}` : first.message;
  return new AppError('VALIDATION', `${text}${more}`, { issues });
};

/** Templates and their versions: every rule about them lives here; handlers and the provider call it. */
export class TemplateService {
  // Every transition reads its template version's rules: prepared once, not rebuilt per call.
  private readonly byKeyQuery;
  private readonly versionQuery;
  /**
   * Rules by "<key>\n<version>". A version row is never updated or deleted (triggers refuse it)
   * and a key always names the same template, so what is cached here cannot go stale, not even
   * when another process writes to the same file.
   */
  private readonly rulesCache = new Map<string, TemplateRules>();

  constructor(private readonly deps: TemplateServiceDeps) {
    const p = (name: string) => sql.placeholder(name);
    this.byKeyQuery = deps.db.select().from(templates).where(eq(templates.key, p('key'))).prepare();
    this.versionQuery = deps.db
      .select()
      .from(templateVersions)
      .where(and(eq(templateVersions.templateId, p('templateId')), eq(templateVersions.version, p('version'))))
      .prepare();
  }

  // -- reading ----------------------------------------------------------------------------------

  private row(id: number): TemplateRow {
    const row = this.deps.db.select().from(templates).where(eq(templates.id, id)).get();
    if (!row) throw new AppError('NOT_FOUND', `Template #${id} does not exist.`, { id });
    return row;
  }

  private byKey(key: string): TemplateRow | undefined {
    return this.byKeyQuery.get({ key });
  }

  private versionRow(templateId: number, version: number): VersionRow | undefined {
    return this.versionQuery.get({ templateId, version });
  }

  private content(v: VersionRow): Content {
    return {
      name: v.name,
      description: v.description,
      steps: JSON.parse(v.stepsJson) as StoredStep[],
      rules: { commentOnReject: v.commentOnReject, commentOnEveryAction: v.commentOnEveryAction, noSelfApproval: v.noSelfApproval, eSignature: v.eSignature },
    };
  }

  private departmentState(code: string): { state: DepartmentState; name: string } {
    const found = this.deps.directory.byCode(code);
    if (!found) return { state: 'missing', name: code };
    return { state: found.active ? 'active' : 'inactive', name: found.name };
  }

  /** Every step whose department is missing or inactive, as issues on steps.<i>.department. */
  departmentIssues(steps: StoredStep[]): FileIssue[] {
    return steps.flatMap((step, i): FileIssue[] => {
      const found = this.deps.directory.byCode(step.department);
      if (!found) {
        return [{ path: ['steps', i, 'department'], message: `Step ${i + 1} uses department "${step.department}", which does not exist.` }];
      }
      if (!found.active) {
        return [{ path: ['steps', i, 'department'], message: `Step ${i + 1} uses department "${step.department}" (${found.name}), which is inactive.` }];
      }
      return [];
    });
  }

  private summary(t: TemplateRow, v: VersionRow): TemplateSummary {
    const content = this.content(v);
    const steps: TemplateStepView[] = content.steps.map((s) => {
      const { state, name } = this.departmentState(s.department);
      return {
        department: s.department,
        name,
        minSignoffs: s.minSignoffs,
        ...(s.targetHours === undefined ? {} : { targetHours: s.targetHours }),
        departmentState: state,
      };
    });
    return {
      id: t.id,
      key: t.key,
      name: content.name,
      description: content.description,
      active: t.active,
      version: v.version,
      currentVersion: t.currentVersion,
      steps,
      rules: content.rules,
      savedAt: iso(v.createdAt),
      problems: this.departmentIssues(content.steps).map((i) => i.message),
    };
  }

  list(includeInactive: boolean): TemplateSummary[] {
    return this.deps.db
      .select()
      .from(templates)
      .innerJoin(templateVersions, and(eq(templateVersions.templateId, templates.id), eq(templateVersions.version, templates.currentVersion)))
      .where(includeInactive ? undefined : eq(templates.active, true))
      .orderBy(sql`${templateVersions.name} collate nocase`, asc(templates.id))
      .all()
      .map(({ templates: t, template_versions: v }) => this.summary(t, v));
  }

  get(id: number, version?: number): TemplateDetail {
    const t = this.row(id);
    const wanted = version ?? t.currentVersion;
    const v = this.versionRow(t.id, wanted);
    if (!v) {
      throw new AppError('NOT_FOUND', `Template "${t.key}" has no version ${wanted}; its latest is version ${t.currentVersion}.`, {
        id,
        version: wanted,
      });
    }
    const versions = this.deps.db
      .select()
      .from(templateVersions)
      .where(eq(templateVersions.templateId, t.id))
      .orderBy(desc(templateVersions.version))
      .all()
      .map(
        (row): TemplateVersionInfo => ({
          version: row.version,
          name: row.name,
          savedAt: iso(row.createdAt),
          savedBy: { id: row.createdById, name: row.createdByName },
          origin: row.origin as VersionOrigin,
          steps: this.content(row).steps,
          rules: this.content(row).rules,
        }),
      );
    return { ...this.summary(t, v), versions };
  }

  // -- writing ----------------------------------------------------------------------------------

  private checkName(name: string, exceptId?: number) {
    const clash = this.list(true).find((t) => t.id !== exceptId && t.name.toLowerCase() === name.trim().toLowerCase());
    if (clash) {
      throw validation([{ path: ['name'], message: `There is already a template named "${clash.name}". Choose another name.` }]);
    }
  }

  private checkDepartments(steps: StoredStep[], lead?: string, locate?: (path: (string | number)[]) => object) {
    const issues = this.departmentIssues(steps).map((i) => ({ ...i, ...(locate ? locate(i.path) : {}) }));
    if (issues.length) throw validation(issues, lead);
  }

  private freeKey(name: string): string {
    const base = slugify(name);
    for (let n = 1; ; n++) {
      const key = n === 1 ? base : `${base}-${n}`;
      if (!this.byKey(key)) return key;
    }
  }

  private insertVersion(templateId: number, version: number, content: Content, origin: VersionOrigin, actor: Actor, now: number) {
    const c = normalise(content);
    this.deps.db
      .insert(templateVersions)
      .values({
        templateId,
        version,
        name: c.name,
        description: c.description,
        stepsJson: JSON.stringify(c.steps),
        commentOnReject: c.rules.commentOnReject,
        commentOnEveryAction: c.rules.commentOnEveryAction,
        noSelfApproval: c.rules.noSelfApproval,
        eSignature: c.rules.eSignature,
        origin,
        createdAt: now,
        createdById: actor.id,
        createdByName: actor.name,
      })
      .run();
  }

  /** Checks everything, then writes the template and its version 1 — in one transaction. */
  create(
    input: Content & { key?: string; active?: boolean },
    actor: Actor,
    origin: VersionOrigin = 'created',
    check: { lead?: string; locate?: (path: (string | number)[]) => object } = {},
  ): TemplateDetail {
    return this.deps.transaction(() => {
      if (input.key !== undefined) {
        const taken = this.byKey(input.key);
        if (taken) {
          const name = this.versionRow(taken.id, taken.currentVersion)?.name ?? input.key;
          throw validation([{ path: ['key'], message: `The key "${input.key}" is already used by the template "${name}".` }]);
        }
      }
      this.checkName(input.name);
      this.checkDepartments(input.steps, check.lead, check.locate);
      const now = this.deps.clock();
      const key = input.key ?? this.freeKey(input.name);
      const { id } = this.deps.db
        .insert(templates)
        .values({ key, active: input.active ?? true, currentVersion: 1, createdAt: now })
        .returning({ id: templates.id })
        .get();
      this.insertVersion(id, 1, input, origin, actor, now);
      const { name, description, steps, rules } = input;
      this.deps.recordChange(
        {
          entity: 'template',
          entityId: key,
          action: origin === 'imported' ? 'imported' : 'created',
          after: { key, active: input.active ?? true, version: 1, ...normalise({ name, description, steps, rules }) },
        },
        actor,
      );
      return this.get(id);
    });
  }

  /** Saves version expectedVersion + 1 of a template. */
  update(
    id: number,
    expectedVersion: number,
    content: Content,
    actor: Actor,
    origin: VersionOrigin = 'edited',
    check: { lead?: string; locate?: (path: (string | number)[]) => object } = {},
  ): TemplateDetail {
    return this.deps.transaction(() => {
      const t = this.row(id);
      if (t.currentVersion !== expectedVersion) {
        throw new AppError(
          'STALE_VERSION',
          `This template was changed since you opened it: it is now at version ${t.currentVersion}, you edited version ${expectedVersion}. Reload it to see the latest and make your change again.`,
          { expectedVersion, actualVersion: t.currentVersion },
        );
      }
      const current = this.versionRow(t.id, t.currentVersion)!;
      if (sameDefinition(this.content(current), content)) {
        throw validation([{ path: [], message: `Nothing changed since version ${t.currentVersion}, so no new version was saved.` }]);
      }
      this.checkName(content.name, t.id);
      this.checkDepartments(content.steps, check.lead, check.locate);
      const next = t.currentVersion + 1;
      this.insertVersion(t.id, next, content, origin, actor, this.deps.clock());
      this.deps.db.update(templates).set({ currentVersion: next }).where(eq(templates.id, t.id)).run();
      this.deps.recordChange(
        {
          entity: 'template',
          entityId: t.key,
          action: origin === 'imported' ? 'imported' : 'version-saved',
          before: { version: t.currentVersion, ...this.content(current) },
          after: { version: next, ...normalise(content) },
        },
        actor,
      );
      return this.get(t.id);
    });
  }

  setActive(id: number, active: boolean, actor: Actor): TemplateSummary {
    return this.deps.transaction(() => {
      const t = this.row(id);
      const v = this.versionRow(t.id, t.currentVersion)!;
      if (active && !t.active) {
        this.checkDepartments(this.content(v).steps, `Template "${v.name}" cannot be activated`);
      }
      if (t.active !== active) {
        this.deps.db.update(templates).set({ active }).where(eq(templates.id, t.id)).run();
        this.deps.recordChange(
          { entity: 'template', entityId: t.key, action: active ? 'activated' : 'deactivated', before: { active: t.active }, after: { active } },
          actor,
        );
      }
      return this.summary({ ...t, active }, v);
    });
  }

  async export(id: number, version: number | undefined, format: 'json' | 'yaml'): Promise<TemplateExport> {
    const t = this.row(id);
    const wanted = version ?? t.currentVersion;
    const v = this.versionRow(t.id, wanted);
    if (!v) throw new AppError('NOT_FOUND', `Template "${t.key}" has no version ${wanted}; its latest is version ${t.currentVersion}.`);
    return {
      fileName: exportFileName(t.key, v.version, format),
      content: await serialise({ key: t.key, ...this.content(v) }, v.version, format, iso(this.deps.clock())),
      format,
    };
  }

  async import(content: string, format: 'json' | 'yaml' | undefined, actor: Actor): Promise<TemplateImport> {
    const { definition, locate } = await parseTemplateFile(content, format);
    const lead = 'The template cannot be imported';
    return this.deps.transaction(() => {
      const existing = definition.key ? this.byKey(definition.key) : undefined;
      if (!existing) {
        const template = this.create(definition, actor, 'imported', { lead, locate });
        return {
          outcome: 'created',
          message: `Imported "${template.name}" as a new template (key "${template.key}", version 1).`,
          template,
        };
      }
      const current = this.versionRow(existing.id, existing.currentVersion)!;
      if (sameDefinition(this.content(current), definition)) {
        return {
          outcome: 'unchanged',
          message: `"${current.name}" (key "${existing.key}") is already exactly like this file at version ${existing.currentVersion}; nothing was changed.`,
          template: this.get(existing.id),
        };
      }
      const template = this.update(existing.id, existing.currentVersion, definition, actor, 'imported', { lead, locate });
      return {
        outcome: 'new-version',
        message: `Imported "${template.name}" as version ${template.version} of the existing template "${existing.key}". Items already running keep version ${existing.currentVersion} or earlier.`,
        template,
      };
    });
  }

  /** First run only: the settings file's default templates, checked like any other. */
  seed(defaults: (Content & { key: string })[], actor: Actor): void {
    this.deps.transaction(() => {
      if (this.deps.db.select({ id: templates.id }).from(templates).limit(1).get()) return;
      for (const t of defaults) {
        try {
          this.create(t, actor, 'default');
        } catch (error) {
          throw new Error(`the default template "${t.key}" in the settings file cannot be created: ${(error as Error).message}`);
        }
      }
    });
  }

  // -- for the core and other modules -----------------------------------------------------------

  private toChoice(t: TemplateSummary): WorkflowChoice {
    return {
      id: choiceId(t.key),
      label: t.name,
      description: t.description,
      version: t.version,
      steps: t.steps.map(
        (s): WorkflowStep => ({
          name: s.name,
          ref: s.department,
          // The engine's default is one sign-off; only a stricter rule is written into the item.
          ...(s.minSignoffs > 1 ? { minSignoffs: s.minSignoffs } : {}),
          ...(s.targetHours === undefined ? {} : { targetHours: s.targetHours }),
        }),
      ),
    };
  }

  /** Active templates whose departments are all active, at their current version. */
  choices(): WorkflowChoice[] {
    return this.list(false)
      .filter((t) => t.problems.length === 0)
      .map((t) => this.toChoice(t));
  }

  resolve(id: string): WorkflowChoice | null {
    const key = keyFromChoiceId(id);
    const t = key ? this.byKey(key) : undefined;
    if (!t || !t.active) return null;
    const summary = this.summary(t, this.versionRow(t.id, t.currentVersion)!);
    if (summary.problems.length) {
      throw new AppError(
        'VALIDATION',
        `The template "${summary.name}" cannot be used now: ${summary.problems[0]} Ask an admin to update the template in Settings → Templates.`,
        { issues: [{ path: ['workflowId'], message: summary.problems[0] }] },
      );
    }
    return this.toChoice(summary);
  }

  /** A version's content by WorkflowSource ({ id: "template:<key>", version }); current version if none given. */
  versionFor(source: { id: string; version?: number }): (TemplateDefinition & { version: number }) | null {
    const key = keyFromChoiceId(source.id);
    const t = key ? this.byKey(key) : undefined;
    if (!t) return null;
    const version = source.version ?? t.currentVersion;
    const v = this.versionRow(t.id, version);
    return v ? { key: t.key, version, ...this.content(v) } : null;
  }

  rulesFor(source: { id: string; version?: number }): TemplateRules | null {
    // Without a version the answer follows the current one, which changes: not cached.
    const cacheKey = source.version === undefined ? null : `${source.id}\n${source.version}`;
    const cached = cacheKey === null ? undefined : this.rulesCache.get(cacheKey);
    if (cached) return { ...cached };
    const found = this.versionFor(source);
    if (!found) return null;
    if (cacheKey !== null) this.rulesCache.set(cacheKey, { ...found.rules });
    return { ...found.rules };
  }
}
