import type { ChangeRecord, ModuleContext, Reader, Storage, Tx } from '../../src/core/modules/api';
import { AppError } from '../../src/shared/errors';
import type { Actor, WorkflowChoice, WorkflowStep } from '../../src/shared/types';
import type { TemplateCatalog } from './catalog';
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
import { slugify } from './slug';
import {
  currentTemplates,
  insertTemplate,
  insertVersion,
  setCurrentVersion,
  setTemplateActive,
  setupStatements,
  templateById,
  templateByKey,
  versionOf,
  versionsOf,
  type TemplateRow,
  type VersionRow,
} from './store';

/** The part of the departments module this one relies on (its exports). */
export interface DepartmentDirectory {
  byCode(code: string): { name: string; code: string; active: boolean } | null;
}

/** A WorkflowSource id, as stored with every item started from a template. */
export const choiceId = (key: string) => `template:${key}`;
export const keyFromChoiceId = (id: string): string | null => (id.startsWith('template:') ? id.slice('template:'.length) : null);

export type Content = Omit<TemplateDefinition, 'key'>;

export interface TemplateServiceDeps {
  storage: Storage;
  /** What the synchronous answers (choices, resolve, rulesFor, versionFor) read; writes go through it. */
  catalog: TemplateCatalog;
  clock: () => number;
  directory: DepartmentDirectory;
  recordChange: ModuleContext<unknown>['recordChange'];
}

/** What setup seeds with: setup is synchronous until modules start asynchronously (issue 17). */
export type SetupDatabase = Pick<ModuleContext<unknown>, 'db' | 'transaction'>;

type Check = { lead?: string; locate?: (path: (string | number)[]) => object };

const iso = (ms: number) => new Date(ms).toISOString();

export { slugify };

const validation = (issues: FileIssue[], lead?: string) => {
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  const text = lead ? `${lead}: ${describeIssue(first)}` : first.message;
  return new AppError('VALIDATION', `${text}${more}`, { issues });
};

const keyTaken = (key: string, name: string) =>
  validation([{ path: ['key'], message: `The key "${key}" is already used by the template "${name}".` }]);

/** Templates and their versions: every rule about them lives here; handlers and the provider call it. */
export class TemplateService {
  constructor(private readonly deps: TemplateServiceDeps) {}

  // -- reading ----------------------------------------------------------------------------------

  private async row(r: Reader, id: number): Promise<TemplateRow> {
    const row = await templateById(r, id);
    if (!row) throw new AppError('NOT_FOUND', `Template #${id} does not exist.`, { id });
    return row;
  }

  private rules(v: VersionRow): TemplateRules {
    return { commentOnReject: v.commentOnReject, commentOnEveryAction: v.commentOnEveryAction, noSelfApproval: v.noSelfApproval, eSignature: v.eSignature };
  }

  private content(v: VersionRow): Content {
    return { name: v.name, description: v.description, steps: JSON.parse(v.stepsJson) as StoredStep[], rules: this.rules(v) };
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

  list(includeInactive: boolean): Promise<TemplateSummary[]> {
    return this.deps.storage.read(async (r) => (await currentTemplates(r, includeInactive)).map(({ template, version }) => this.summary(template, version)));
  }

  get(id: number, version?: number): Promise<TemplateDetail> {
    return this.deps.storage.read((r) => this.detail(r, id, version));
  }

  private async detail(r: Reader, id: number, version?: number): Promise<TemplateDetail> {
    const t = await this.row(r, id);
    const wanted = version ?? t.currentVersion;
    const v = await versionOf(r, t.id, wanted);
    if (!v) {
      throw new AppError('NOT_FOUND', `Template "${t.key}" has no version ${wanted}; its latest is version ${t.currentVersion}.`, {
        id,
        version: wanted,
      });
    }
    const versions = (await versionsOf(r, t.id)).map(
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

  /** Refuses a name another template's current version has (ignoring case and surrounding spaces). */
  private checkName(name: string, others: { id: number; name: string }[], exceptId?: number) {
    const clash = others.find((t) => t.id !== exceptId && t.name.toLowerCase() === name.trim().toLowerCase());
    if (clash) {
      throw validation([{ path: ['name'], message: `There is already a template named "${clash.name}". Choose another name.` }]);
    }
  }

  private async names(r: Reader): Promise<{ id: number; name: string }[]> {
    return (await currentTemplates(r, true)).map(({ template, version }) => ({ id: template.id, name: version.name }));
  }

  private checkDepartments(steps: StoredStep[], lead?: string, locate?: (path: (string | number)[]) => object) {
    const issues = this.departmentIssues(steps).map((i) => ({ ...i, ...(locate ? locate(i.path) : {}) }));
    if (issues.length) throw validation(issues, lead);
  }

  private async freeKey(r: Reader, name: string): Promise<string> {
    const base = slugify(name);
    for (let n = 1; ; n++) {
      const key = n === 1 ? base : `${base}-${n}`;
      if (!(await templateByKey(r, key))) return key;
    }
  }

  /** The row of a version as saved: its content normalised. */
  private versionRow(templateId: number, version: number, content: Content, origin: VersionOrigin, actor: Actor, now: number): VersionRow {
    const c = normalise(content);
    return {
      templateId,
      version,
      name: c.name,
      description: c.description,
      stepsJson: JSON.stringify(c.steps),
      ...c.rules,
      origin,
      createdAt: now,
      createdById: actor.id,
      createdByName: actor.name,
    };
  }

  private created(key: string, active: boolean, content: Content, origin: VersionOrigin): ChangeRecord {
    const { name, description, steps, rules } = content;
    return {
      entity: 'template',
      entityId: key,
      action: origin === 'imported' ? 'imported' : 'created',
      after: { key, active, version: 1, ...normalise({ name, description, steps, rules }) },
    };
  }

  /** Checks everything, then writes the template and its version 1 — in one transaction. */
  create(input: Content & { key?: string; active?: boolean }, actor: Actor): Promise<TemplateDetail> {
    return this.deps.catalog.write((tx) => this.createIn(tx, input, actor));
  }

  private async createIn(
    tx: Tx,
    input: Content & { key?: string; active?: boolean },
    actor: Actor,
    origin: VersionOrigin = 'created',
    check: Check = {},
  ): Promise<TemplateDetail> {
    if (input.key !== undefined) {
      const taken = await templateByKey(tx, input.key);
      if (taken) throw keyTaken(input.key, (await versionOf(tx, taken.id, taken.currentVersion))?.name ?? input.key);
    }
    this.checkName(input.name, await this.names(tx));
    this.checkDepartments(input.steps, check.lead, check.locate);
    const now = this.deps.clock();
    const key = input.key ?? (await this.freeKey(tx, input.name));
    const active = input.active ?? true;
    const id = await insertTemplate(tx, { key, active, createdAt: now });
    await insertVersion(tx, this.versionRow(id, 1, input, origin, actor, now));
    this.deps.recordChange(this.created(key, active, input, origin), actor);
    return this.detail(tx, id);
  }

  /** Saves version expectedVersion + 1 of a template. */
  update(id: number, expectedVersion: number, content: Content, actor: Actor): Promise<TemplateDetail> {
    return this.deps.catalog.write((tx) => this.updateIn(tx, id, expectedVersion, content, actor));
  }

  private async updateIn(
    tx: Tx,
    id: number,
    expectedVersion: number,
    content: Content,
    actor: Actor,
    origin: VersionOrigin = 'edited',
    check: Check = {},
  ): Promise<TemplateDetail> {
    const t = await this.row(tx, id);
    if (t.currentVersion !== expectedVersion) {
      throw new AppError(
        'STALE_VERSION',
        `This template was changed since you opened it: it is now at version ${t.currentVersion}, you edited version ${expectedVersion}. Reload it to see the latest and make your change again.`,
        { expectedVersion, actualVersion: t.currentVersion },
      );
    }
    const current = (await versionOf(tx, t.id, t.currentVersion))!;
    if (sameDefinition(this.content(current), content)) {
      throw validation([{ path: [], message: `Nothing changed since version ${t.currentVersion}, so no new version was saved.` }]);
    }
    this.checkName(content.name, await this.names(tx), t.id);
    this.checkDepartments(content.steps, check.lead, check.locate);
    const next = t.currentVersion + 1;
    await insertVersion(tx, this.versionRow(t.id, next, content, origin, actor, this.deps.clock()));
    await setCurrentVersion(tx, t.id, next);
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
    return this.detail(tx, t.id);
  }

  setActive(id: number, active: boolean, actor: Actor): Promise<TemplateSummary> {
    return this.deps.catalog.write(async (tx) => {
      const t = await this.row(tx, id);
      const v = (await versionOf(tx, t.id, t.currentVersion))!;
      if (active && !t.active) {
        this.checkDepartments(this.content(v).steps, `Template "${v.name}" cannot be activated`);
      }
      if (t.active !== active) {
        await setTemplateActive(tx, t.id, active);
        this.deps.recordChange(
          { entity: 'template', entityId: t.key, action: active ? 'activated' : 'deactivated', before: { active: t.active }, after: { active } },
          actor,
        );
      }
      return this.summary({ ...t, active }, v);
    });
  }

  async export(id: number, version: number | undefined, format: 'json' | 'yaml'): Promise<TemplateExport> {
    const { t, v } = await this.deps.storage.read(async (r) => {
      const t = await this.row(r, id);
      const wanted = version ?? t.currentVersion;
      const v = await versionOf(r, t.id, wanted);
      if (!v) throw new AppError('NOT_FOUND', `Template "${t.key}" has no version ${wanted}; its latest is version ${t.currentVersion}.`);
      return { t, v };
    });
    return {
      fileName: exportFileName(t.key, v.version, format),
      content: await serialise({ key: t.key, ...this.content(v) }, v.version, format, iso(this.deps.clock())),
      format,
    };
  }

  async import(content: string, format: 'json' | 'yaml' | undefined, actor: Actor): Promise<TemplateImport> {
    const { definition, locate } = await parseTemplateFile(content, format);
    const lead = 'The template cannot be imported';
    return this.deps.catalog.write(async (tx): Promise<TemplateImport> => {
      const existing = definition.key ? await templateByKey(tx, definition.key) : undefined;
      if (!existing) {
        const template = await this.createIn(tx, definition, actor, 'imported', { lead, locate });
        return {
          outcome: 'created',
          message: `Imported "${template.name}" as a new template (key "${template.key}", version 1).`,
          template,
        };
      }
      const current = (await versionOf(tx, existing.id, existing.currentVersion))!;
      if (sameDefinition(this.content(current), definition)) {
        return {
          outcome: 'unchanged',
          message: `"${current.name}" (key "${existing.key}") is already exactly like this file at version ${existing.currentVersion}; nothing was changed.`,
          template: await this.detail(tx, existing.id),
        };
      }
      const template = await this.updateIn(tx, existing.id, existing.currentVersion, definition, actor, 'imported', { lead, locate });
      return {
        outcome: 'new-version',
        message: `Imported "${template.name}" as version ${template.version} of the existing template "${existing.key}". Items already running keep version ${existing.currentVersion} or earlier.`,
        template,
      };
    });
  }

  /**
   * First run only: the settings file's default templates, checked like any other (the tables are
   * empty, so a key or a name can only clash with an earlier default). Setup is synchronous until
   * modules start asynchronously (issue 17): this runs on ctx.db with the store's statements.
   */
  seed(defaults: (Content & { key: string })[], actor: Actor, { db, transaction }: SetupDatabase): void {
    const d = this.deps.storage.sql;
    transaction(() => {
      if (db.get(setupStatements.any)) return;
      const seeded: { id: number; key: string; name: string }[] = [];
      for (const t of defaults) {
        try {
          const taken = seeded.find((s) => s.key === t.key);
          if (taken) throw keyTaken(t.key, taken.name);
          this.checkName(t.name, seeded);
          this.checkDepartments(t.steps);
          const now = this.deps.clock();
          const { id } = db.get<{ id: number }>(setupStatements.insertTemplate(d, { key: t.key, active: true, createdAt: now }));
          const row = this.versionRow(id, 1, t, 'default', actor, now);
          db.run(setupStatements.insertVersion(d, row));
          this.deps.recordChange(this.created(t.key, true, t, 'default'), actor);
          seeded.push({ id, key: t.key, name: row.name });
        } catch (error) {
          throw new Error(`the default template "${t.key}" in the settings file cannot be created: ${(error as Error).message}`);
        }
      }
    });
  }

  /** Fills the catalog at setup (synchronous, on ctx.db: see seed). */
  loadCatalog(db: SetupDatabase['db']): void {
    const current = db.all(setupStatements.current(this.deps.storage.sql)).map(setupStatements.toCurrent);
    this.deps.catalog.replace(current, db.all(setupStatements.allVersions).map(setupStatements.toVersion));
  }

  // -- for the core and other modules: synchronous, from the catalog ------------------------------

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
    return this.deps.catalog
      .list()
      .filter(({ template }) => template.active)
      .map(({ template, version }) => this.summary(template, version))
      .filter((t) => t.problems.length === 0)
      .map((t) => this.toChoice(t));
  }

  resolve(id: string): WorkflowChoice | null {
    const key = keyFromChoiceId(id);
    const t = key ? this.deps.catalog.byKey(key) : undefined;
    if (!t || !t.active) return null;
    const summary = this.summary(t, this.deps.catalog.version(t.id, t.currentVersion)!);
    if (summary.problems.length) {
      throw new AppError(
        'VALIDATION',
        `The template "${summary.name}" cannot be used now: ${summary.problems[0]} Ask an admin to update the template in Settings → Templates.`,
        { issues: [{ path: ['workflowId'], message: summary.problems[0] }] },
      );
    }
    return this.toChoice(summary);
  }

  /** The version a WorkflowSource names ({ id: "template:<key>", version }); the current one if none given. */
  private versionAt(source: { id: string; version?: number }): { t: TemplateRow; v: VersionRow } | null {
    const key = keyFromChoiceId(source.id);
    const t = key ? this.deps.catalog.byKey(key) : undefined;
    if (!t) return null;
    const v = this.deps.catalog.version(t.id, source.version ?? t.currentVersion);
    return v ? { t, v } : null;
  }

  /** A version's content by WorkflowSource ({ id: "template:<key>", version }); current version if none given. */
  versionFor(source: { id: string; version?: number }): (TemplateDefinition & { version: number }) | null {
    const found = this.versionAt(source);
    return found ? { key: found.t.key, version: found.v.version, ...this.content(found.v) } : null;
  }

  rulesFor(source: { id: string; version?: number }): TemplateRules | null {
    const found = this.versionAt(source);
    return found ? this.rules(found.v) : null;
  }

  /** Labels of the templates whose current version uses this department (for the departments module). */
  usingDepartment(code: string): string[] {
    return this.deps.catalog
      .list()
      .filter(({ version }) => this.content(version).steps.some((step) => step.department === code))
      .map(({ version }) => `Template "${version.name}"`);
  }
}
