import { asc, count, eq, max, sql } from 'drizzle-orm';
import { z } from 'zod';
import { defineModule, type StepDirectory } from '../../src/core/modules/types';
import { AppError } from '../../src/shared/errors';
import type { Actor, WorkflowStep } from '../../src/shared/types';
import {
  departmentsContract,
  type Department,
  type DepartmentUsage,
  type DepartmentUsageItem,
  type UsageRelation,
} from './contract';
import { codeField, nameField, nameKey } from './rules';
import { departments, departmentsMeta } from './schema';

const configSchema = z.strictObject({
  /** Created on first run only; deleting them later does not bring them back. */
  defaults: z
    .array(z.strictObject({ name: nameField, code: codeField }))
    .default([])
    .superRefine((defaults, ctx) => {
      const names = new Set<string>();
      const codes = new Set<string>();
      defaults.forEach((d, i) => {
        if (names.has(nameKey(d.name))) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `the name "${d.name}" appears twice` });
        if (codes.has(d.code)) ctx.addIssue({ code: 'custom', path: [i, 'code'], message: `the code "${d.code}" appears twice` });
        names.add(nameKey(d.name));
        codes.add(d.code);
      });
    }),
});

/**
 * Tells this module where a dependent module refers to a department by code (a template that
 * lists it, say): one label per place, for people ("Template “Standard”"). A department with
 * references cannot be deleted, and deactivating it lists them.
 */
export type ReferenceSource = (code: string) => string[];

/** What dependent modules may ask of this one (see ctx.use). */
export interface DepartmentDirectory {
  /** The department with this code, active or not; null if there is none. */
  byCode(code: string): Department | null;
  /** All departments in their order (active only unless asked). */
  list(options?: { includeInactive?: boolean }): Department[];
  addReferenceSource(source: ReferenceSource): void;
}

type Row = typeof departments.$inferSelect;

const SEEDED_KEY = 'defaults_seeded';
const FIRST_RUN: Actor = { id: 'system:first-run', name: 'Settings file defaults' };
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const toDepartment = (row: Row): Department => ({
  id: row.id,
  name: row.name,
  code: row.code,
  position: row.position,
  active: row.active,
  deactivatedAt: row.deactivatedAt === null ? null : new Date(row.deactivatedAt).toISOString(),
});

const RELATION_ORDER: Record<UsageRelation, number> = { current: 0, later: 1, earlier: 2 };

export default defineModule({
  name: 'departments',
  version: '0.2.0',
  description: 'The departments an item moves through (Engineering, Quality Control, Operations, …).',
  hasMigrations: true,
  configSchema,
  contract: departmentsContract,
  setup({ db, config, clock, transaction, recordChange }) {
    // First run: the defaults from the settings file, once. The marker keeps an admin's later
    // choice (even deleting them all) from being undone at the next start.
    transaction(() => {
      if (db.select().from(departmentsMeta).where(eq(departmentsMeta.key, SEEDED_KEY)).get()) return;
      if ((db.select({ n: count() }).from(departments).get()?.n ?? 0) === 0) {
        config.defaults.forEach((d, position) => {
          const created = db
            .insert(departments)
            .values({ name: d.name, nameKey: nameKey(d.name), code: d.code, position, active: true, createdAt: clock() })
            .returning()
            .get();
          recordChange({ entity: 'department', entityId: created.code, action: 'created', after: toDepartment(created) }, FIRST_RUN);
        });
      }
      db.insert(departmentsMeta).values({ key: SEEDED_KEY, value: new Date(clock()).toISOString() }).run();
    });

    const referenceSources: ReferenceSource[] = [];

    const allRows = () => db.select().from(departments).orderBy(asc(departments.position), asc(departments.id)).all();
    // Every item's creation and step look departments up by code: built once.
    const byCodeQuery = db.select().from(departments).where(eq(departments.code, sql.placeholder('code'))).prepare();
    const rowByCode = (code: string) => byCodeQuery.get({ code });

    const rowById = (id: number): Row => {
      const row = db.select().from(departments).where(eq(departments.id, id)).get();
      if (!row) throw new AppError('NOT_FOUND', `There is no department #${id}; it may have been deleted meanwhile.`, { id });
      return row;
    };

    /** Why this name cannot be used (another department has it, ignoring case and spacing), or null. */
    const nameConflict = (name: string, exceptId?: number): string | null => {
      const taken = db.select().from(departments).where(eq(departments.nameKey, nameKey(name))).get();
      if (!taken || taken.id === exceptId) return null;
      return taken.active
        ? `A department named "${taken.name}" already exists.`
        : `A department named "${taken.name}" already exists (inactive); reactivate it instead.`;
    };

    /** Open and closed work items whose frozen workflow names this code as a step's ref. */
    const usage = (row: Row, limit: number): DepartmentUsage => {
      const rows = db.all<{ id: number; title: string; status: string; currentStep: number | null; stepsJson: string }>(sql`
        with snapshots as (
          select s.id, s.steps_json from workflow_snapshots s
          where exists (select 1 from json_each(s.steps_json) j where json_extract(j.value, '$.ref') = ${row.code})
        )
        select w.id as id, w.title as title, w.status as status, w.current_step as currentStep, snapshots.steps_json as stepsJson
        from work_items w join snapshots on snapshots.id = w.workflow_id
        where w.status in ('draft', 'active')
      `);
      const closedTotal =
        db.get<{ n: number }>(sql`
          select count(*) as n from work_items w
          where w.status in ('completed', 'cancelled')
            and w.workflow_id in (
              select s.id from workflow_snapshots s
              where exists (select 1 from json_each(s.steps_json) j where json_extract(j.value, '$.ref') = ${row.code})
            )
        `)?.n ?? 0;

      const items: DepartmentUsageItem[] = rows.map((r) => {
        const steps = JSON.parse(r.stepsJson) as WorkflowStep[];
        const indexes = steps.flatMap((s, i) => (s.ref === row.code ? [i] : []));
        const at = r.currentStep ?? 0;
        const relation: UsageRelation =
          r.status === 'draft'
            ? 'later'
            : indexes.includes(at)
              ? 'current'
              : indexes.some((i) => i > at)
                ? 'later'
                : 'earlier';
        return {
          id: r.id,
          title: r.title,
          status: r.status as DepartmentUsageItem['status'],
          currentStep: r.currentStep,
          currentStepName: r.currentStep === null ? null : (steps[r.currentStep]?.name ?? null),
          relation,
          steps: indexes,
        };
      });
      items.sort((a, b) => RELATION_ORDER[a.relation] - RELATION_ORDER[b.relation] || a.id - b.id);
      const byRelation: Record<UsageRelation, number> = { current: 0, later: 0, earlier: 0 };
      for (const item of items) byRelation[item.relation]++;
      const references = referenceSources.flatMap((source) => source(row.code));
      return {
        department: toDepartment(row),
        openItems: items.slice(0, limit),
        openTotal: items.length,
        byRelation,
        closedTotal,
        references,
        canDelete: items.length === 0 && closedTotal === 0 && references.length === 0,
      };
    };

    const directory: DepartmentDirectory = {
      byCode(code) {
        const row = rowByCode(code);
        return row ? toDepartment(row) : null;
      },
      list: ({ includeInactive = false } = {}) => allRows().filter((r) => includeInactive || r.active).map(toDepartment),
      addReferenceSource(source) {
        referenceSources.push(source);
      },
    };

    const rowByKey = (key: string) => db.select().from(departments).where(eq(departments.nameKey, key)).get();
    /** A step given by hand names a department by code (ref), by name, or by code in place of a name. */
    const stepDirectory: StepDirectory = {
      recorded(step, index) {
        const row = step.ref ? rowByCode(step.ref) : (rowByKey(nameKey(step.name)) ?? rowByCode(step.name.trim().toUpperCase()));
        const active = allRows().filter((r) => r.active);
        const refuse = (message: string) => {
          throw new AppError('VALIDATION', message, { issues: [{ path: ['steps', String(index), step.ref ? 'ref' : 'name'], message }] });
        };
        const which = `Step ${index + 1} ("${step.ref ?? step.name}")`;
        if (!row) refuse(`${which} is not a department. Steps are departments: ${active.map((r) => r.name).join(', ') || 'there are none yet'}.`);
        if (!row!.active) refuse(`${which}: ${row!.name} is deactivated; an item cannot be sent there.`);
        if (step.ref && nameKey(step.name) !== nameKey(row!.name) && step.name.trim() !== row!.code) {
          refuse(`${which} is named "${step.name}", but that department is ${row!.name}. A step takes its department's name.`);
        }
        return {
          name: row!.name,
          ref: row!.code,
          ...(step.minSignoffs === undefined ? {} : { minSignoffs: step.minSignoffs }),
          ...(step.targetHours === undefined ? {} : { targetHours: step.targetHours }),
        };
      },
    };

    return {
      exports: directory,
      stepDirectory,
      handlers: {
        'departments.list': ({ includeInactive }) => directory.list({ includeInactive }),

        'departments.create': ({ name, code }, { actor }) =>
          transaction(() => {
            const issues: { path: string[]; message: string }[] = [];
            const nameProblem = nameConflict(name);
            if (nameProblem) issues.push({ path: ['name'], message: nameProblem });
            const sameCode = rowByCode(code);
            if (sameCode) issues.push({ path: ['code'], message: `The code "${code}" is already used by ${sameCode.name}.` });
            if (issues.length) throw new AppError('VALIDATION', issues.map((i) => i.message).join(' '), { issues });
            const last = db.select({ position: max(departments.position) }).from(departments).get()?.position;
            const created = db
              .insert(departments)
              .values({ name, nameKey: nameKey(name), code, position: (last ?? -1) + 1, active: true, createdAt: clock() })
              .returning()
              .get();
            recordChange({ entity: 'department', entityId: code, action: 'created', after: toDepartment(created) }, actor);
            return toDepartment(created);
          }),

        'departments.rename': ({ id, name }, { actor }) =>
          transaction(() => {
            const row = rowById(id);
            if (row.name === name) return toDepartment(row);
            const problem = nameConflict(name, id);
            if (problem) throw new AppError('VALIDATION', problem, { issues: [{ path: ['name'], message: problem }] });
            const updated = db
              .update(departments)
              .set({ name, nameKey: nameKey(name) })
              .where(eq(departments.id, id))
              .returning()
              .get();
            recordChange({ entity: 'department', entityId: row.code, action: 'renamed', before: toDepartment(row), after: toDepartment(updated) }, actor);
            return toDepartment(updated);
          }),

        'departments.reorder': ({ ids }, { actor }) =>
          transaction(() => {
            const rows = allRows();
            const known = new Set(rows.map((r) => r.id));
            const unknown = ids.filter((id) => !known.has(id));
            if (unknown.length) {
              throw new AppError(
                'VALIDATION',
                `The new order names ${unknown.map((id) => `#${id}`).join(', ')}, which ${unknown.length === 1 ? 'is' : 'are'} not a department (any more). Reload the list and try again.`,
                { issues: [{ path: ['ids'], message: 'Unknown department' }], unknown },
              );
            }
            const given = new Set(ids);
            const missing = rows.filter((r) => !given.has(r.id));
            if (missing.length) {
              throw new AppError(
                'VALIDATION',
                `The new order leaves out ${missing.map((r) => r.name).join(', ')}; it must list every department exactly once. Reload the list and try again.`,
                { issues: [{ path: ['ids'], message: 'Every department, once' }], missing: missing.map((r) => r.id) },
              );
            }
            ids.forEach((id, position) => db.update(departments).set({ position }).where(eq(departments.id, id)).run());
            const reordered = allRows();
            const order = (list: Row[]) => list.map((r) => r.code);
            if (order(rows).join() !== order(reordered).join()) {
              recordChange({ entity: 'department', entityId: '*', action: 'reordered', before: { order: order(rows) }, after: { order: order(reordered) } }, actor);
            }
            return reordered.map(toDepartment);
          }),

        'departments.setActive': ({ id, active }, { actor }) =>
          transaction(() => {
            const row = rowById(id);
            if (row.active === active) {
              throw new AppError('INVALID_TRANSITION', `${row.name} is already ${active ? 'active' : 'inactive'}.`, { id, active });
            }
            const updated = db
              .update(departments)
              .set({ active, deactivatedAt: active ? null : clock() })
              .where(eq(departments.id, id))
              .returning()
              .get();
            recordChange(
              { entity: 'department', entityId: row.code, action: active ? 'reactivated' : 'deactivated', before: toDepartment(row), after: toDepartment(updated) },
              actor,
            );
            return usage(updated, 500);
          }),

        'departments.delete': ({ id }, { actor }) =>
          transaction(() => {
            const row = rowById(id);
            const used = usage(row, 10);
            if (!used.canDelete) {
              const reasons = [
                ...(used.openTotal
                  ? [
                      `${plural(used.openTotal, 'open work item')} ${used.openTotal === 1 ? 'goes' : 'go'} through it (${used.openItems
                        .slice(0, 5)
                        .map((i) => `#${i.id}`)
                        .join(', ')}${used.openTotal > 5 ? ', …' : ''})`,
                    ]
                  : []),
                ...(used.closedTotal
                  ? [`the history of ${plural(used.closedTotal, 'completed or cancelled item')} names it`]
                  : []),
                ...used.references.map((r) => `${r} uses it`),
              ];
              throw new AppError(
                'INVALID_TRANSITION',
                `${row.name} cannot be deleted: ${reasons.join('; ')}. ${row.active ? 'Deactivate it instead; ' : 'It stays inactive; '}history keeps its name.`,
                { id, openTotal: used.openTotal, closedTotal: used.closedTotal, references: used.references },
              );
            }
            db.delete(departments).where(eq(departments.id, id)).run();
            recordChange({ entity: 'department', entityId: row.code, action: 'deleted', before: toDepartment(row) }, actor);
            allRows().forEach((r, position) => {
              if (r.position !== position) db.update(departments).set({ position }).where(eq(departments.id, r.id)).run();
            });
            return { deleted: toDepartment(row) };
          }),

        'departments.usage': ({ id, limit }) => usage(rowById(id), limit),
      },
    };
  },
});
