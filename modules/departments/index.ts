import { z } from 'zod';
import { defineModule, type Reader, type StepDirectory } from '../../src/core/modules/api';
import { AppError } from '../../src/shared/errors';
import type { Actor, WorkflowStep } from '../../src/shared/types';
import {
  departmentsContract,
  type Department,
  type DepartmentUsage,
  type DepartmentUsageItem,
  type UsageRelation,
} from './contract';
import { KnownDepartments } from './directory';
import { codeField, nameField, nameKey } from './rules';
import {
  allDepartments,
  closedItemsThrough,
  deleteDepartment,
  departmentById,
  departmentByCode,
  departmentByNameKey,
  insertDepartment,
  lastPosition,
  openItemsThrough,
  renameDepartment,
  setDepartmentActive,
  setPosition,
  setupStatements,
  toDepartmentRow,
  type DepartmentRow,
  type StoredDepartment,
} from './store';

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
 * references cannot be deleted, and deactivating it lists them. It is asked inside this module's
 * read or transaction; an asynchronous one may read through ctx.storage (it joins them).
 */
export type ReferenceSource = (code: string) => string[] | Promise<string[]>;

/** What dependent modules may ask of this one (see ctx.use). */
export interface DepartmentDirectory {
  /** The department with this code, active or not; null if there is none. */
  byCode(code: string): Department | null;
  /** All departments in their order (active only unless asked). */
  list(options?: { includeInactive?: boolean }): Department[];
  addReferenceSource(source: ReferenceSource): void;
}

const FIRST_RUN: Actor = { id: 'system:first-run', name: 'Settings file defaults' };
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const toDepartment = (row: DepartmentRow): Department => ({
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
  setup({ db, storage, config, clock, transaction, recordChange }) {
    const known = new KnownDepartments(storage);
    // Setup is synchronous until modules start asynchronously (issue 17): the first run's defaults
    // and the first filling of the known departments run on ctx.db, with the store's statements.
    // First run: the defaults from the settings file, once. The marker keeps an admin's later
    // choice (even deleting them all) from being undone at the next start.
    transaction(() => {
      if (db.get(setupStatements.seeded)) return;
      if ((db.get<{ n: number }>(setupStatements.count)?.n ?? 0) === 0) {
        config.defaults.forEach((d, position) => {
          const created = toDepartmentRow(
            db.get<StoredDepartment>(setupStatements.insert({ name: d.name, nameKey: nameKey(d.name), code: d.code, position, createdAt: clock() })),
          );
          recordChange({ entity: 'department', entityId: created.code, action: 'created', after: toDepartment(created) }, FIRST_RUN);
        });
      }
      db.run(setupStatements.markSeeded(new Date(clock()).toISOString()));
    });
    known.replace(db.all<StoredDepartment>(setupStatements.all).map(toDepartmentRow));

    const referenceSources: ReferenceSource[] = [];

    const rowById = async (r: Reader, id: number): Promise<DepartmentRow> => {
      const row = await departmentById(r, id);
      if (!row) throw new AppError('NOT_FOUND', `There is no department #${id}; it may have been deleted meanwhile.`, { id });
      return row;
    };

    /** Why this name cannot be used (another department has it, ignoring case and spacing), or null. */
    const nameConflict = async (r: Reader, name: string, exceptId?: number): Promise<string | null> => {
      const taken = await departmentByNameKey(r, nameKey(name));
      if (!taken || taken.id === exceptId) return null;
      return taken.active
        ? `A department named "${taken.name}" already exists.`
        : `A department named "${taken.name}" already exists (inactive); reactivate it instead.`;
    };

    /** Open and closed work items whose frozen workflow names this code as a step's ref. */
    const usage = async (reader: Reader, row: DepartmentRow, limit: number): Promise<DepartmentUsage> => {
      const rows = await openItemsThrough(reader, row.code);
      const closedTotal = await closedItemsThrough(reader, row.code);

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
      const references: string[] = [];
      for (const source of referenceSources) references.push(...(await source(row.code)));
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
        const row = known.byCode(code);
        return row ? toDepartment(row) : null;
      },
      list: ({ includeInactive = false } = {}) => known.all().filter((r) => includeInactive || r.active).map(toDepartment),
      addReferenceSource(source) {
        referenceSources.push(source);
      },
    };

    /** A step given by hand names a department by code (ref), by name, or by code in place of a name. */
    const stepDirectory: StepDirectory = {
      recorded(step, index) {
        const row = step.ref ? known.byCode(step.ref) : (known.byNameKey(nameKey(step.name)) ?? known.byCode(step.name.trim().toUpperCase()));
        const active = known.all().filter((r) => r.active);
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
        'departments.list': ({ includeInactive }) =>
          storage.read(async (r) => (await allDepartments(r)).filter((row) => includeInactive || row.active).map(toDepartment)),

        'departments.create': ({ name, code }, { actor }) =>
          known.write(async (tx) => {
            const issues: { path: string[]; message: string }[] = [];
            const nameProblem = await nameConflict(tx, name);
            if (nameProblem) issues.push({ path: ['name'], message: nameProblem });
            const sameCode = await departmentByCode(tx, code);
            if (sameCode) issues.push({ path: ['code'], message: `The code "${code}" is already used by ${sameCode.name}.` });
            if (issues.length) throw new AppError('VALIDATION', issues.map((i) => i.message).join(' '), { issues });
            const last = await lastPosition(tx);
            const created = await insertDepartment(tx, { name, nameKey: nameKey(name), code, position: (last ?? -1) + 1, createdAt: clock() });
            recordChange({ entity: 'department', entityId: code, action: 'created', after: toDepartment(created) }, actor);
            return toDepartment(created);
          }),

        'departments.rename': ({ id, name }, { actor }) =>
          known.write(async (tx) => {
            const row = await rowById(tx, id);
            if (row.name === name) return toDepartment(row);
            const problem = await nameConflict(tx, name, id);
            if (problem) throw new AppError('VALIDATION', problem, { issues: [{ path: ['name'], message: problem }] });
            const updated = (await renameDepartment(tx, id, name, nameKey(name)))!;
            recordChange({ entity: 'department', entityId: row.code, action: 'renamed', before: toDepartment(row), after: toDepartment(updated) }, actor);
            return toDepartment(updated);
          }),

        'departments.reorder': ({ ids }, { actor }) =>
          known.write(async (tx) => {
            const rows = await allDepartments(tx);
            const existing = new Set(rows.map((r) => r.id));
            const unknown = ids.filter((id) => !existing.has(id));
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
            for (const [position, id] of ids.entries()) await setPosition(tx, id, position);
            const reordered = await allDepartments(tx);
            const order = (list: DepartmentRow[]) => list.map((r) => r.code);
            if (order(rows).join() !== order(reordered).join()) {
              recordChange({ entity: 'department', entityId: '*', action: 'reordered', before: { order: order(rows) }, after: { order: order(reordered) } }, actor);
            }
            return reordered.map(toDepartment);
          }),

        'departments.setActive': ({ id, active }, { actor }) =>
          known.write(async (tx) => {
            const row = await rowById(tx, id);
            if (row.active === active) {
              throw new AppError('INVALID_TRANSITION', `${row.name} is already ${active ? 'active' : 'inactive'}.`, { id, active });
            }
            const updated = (await setDepartmentActive(tx, id, active, active ? null : clock()))!;
            recordChange(
              { entity: 'department', entityId: row.code, action: active ? 'reactivated' : 'deactivated', before: toDepartment(row), after: toDepartment(updated) },
              actor,
            );
            return usage(tx, updated, 500);
          }),

        'departments.delete': ({ id }, { actor }) =>
          known.write(async (tx) => {
            const row = await rowById(tx, id);
            const used = await usage(tx, row, 10);
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
            await deleteDepartment(tx, id);
            recordChange({ entity: 'department', entityId: row.code, action: 'deleted', before: toDepartment(row) }, actor);
            for (const [position, r] of (await allDepartments(tx)).entries()) {
              if (r.position !== position) await setPosition(tx, r.id, position);
            }
            return { deleted: toDepartment(row) };
          }),

        'departments.usage': ({ id, limit }) => storage.read(async (r) => usage(r, await rowById(r, id), limit)),
      },
    };
  },
});
