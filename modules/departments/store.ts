/**
 * The departments module's SQL (issue 17), for SQLite and PostgreSQL alike: functions of a
 * transaction or a reader and plain values, answering plain rows.
 */
import { sql, type SQL } from 'drizzle-orm';
import { query, type Reader, type Tx } from '../../src/core/modules/api';
import { departments, departmentsMeta } from './schema';

export interface DepartmentRow {
  id: number;
  name: string;
  /** The name folded for comparison (rules.ts nameKey): unique. */
  nameKey: string;
  code: string;
  position: number;
  active: boolean;
  createdAt: number;
  deactivatedAt: number | null;
}

export type NewDepartment = Pick<DepartmentRow, 'name' | 'nameKey' | 'code' | 'position' | 'createdAt'>;

/** A row as the database gives it: `active` is 1/0 on SQLite, a boolean on PostgreSQL. */
export type StoredDepartment = Omit<DepartmentRow, 'active'> & { active: unknown };

export const toDepartmentRow = (row: StoredDepartment): DepartmentRow => ({ ...row, active: Boolean(row.active) });
const optional = (row: StoredDepartment | undefined) => (row ? toDepartmentRow(row) : undefined);

const COLUMNS = sql`${departments.id} as "id", ${departments.name} as "name", ${departments.nameKey} as "nameKey", ${departments.code} as "code",
  ${departments.position} as "position", ${departments.active} as "active", ${departments.createdAt} as "createdAt",
  ${departments.deactivatedAt} as "deactivatedAt"`;

const ALL = query<StoredDepartment>(() => sql`select ${COLUMNS} from ${departments} order by ${departments.position}, ${departments.id}`);
const BY_ID = query<StoredDepartment, { id: number }>((p) => sql`select ${COLUMNS} from ${departments} where ${departments.id} = ${p.id}`);
const BY_CODE = query<StoredDepartment, { code: string }>((p) => sql`select ${COLUMNS} from ${departments} where ${departments.code} = ${p.code}`);
const BY_NAME_KEY = query<StoredDepartment, { nameKey: string }>(
  (p) => sql`select ${COLUMNS} from ${departments} where ${departments.nameKey} = ${p.nameKey}`,
);
const LAST_POSITION = query<{ last: number | null }>(() => sql`select max(${departments.position}) as "last" from ${departments}`);

/** Every department, active or not, in their order. */
export const allDepartments = async (r: Reader): Promise<DepartmentRow[]> => (await r.all(ALL)).map(toDepartmentRow);
export const departmentById = async (r: Reader, id: number) => optional(await r.get(BY_ID, { id }));
/** Codes compare exactly (they are capitals by rule). */
export const departmentByCode = async (r: Reader, code: string) => optional(await r.get(BY_CODE, { code }));
export const departmentByNameKey = async (r: Reader, nameKey: string) => optional(await r.get(BY_NAME_KEY, { nameKey }));
/** The highest position taken, or null when there are no departments. */
export const lastPosition = async (r: Reader) => (await r.get(LAST_POSITION))?.last ?? null;

/** Active, as the table's default says. */
const insertStatement = (row: NewDepartment): SQL => sql`
  insert into ${departments} (name, name_key, code, position, created_at)
  values (${row.name}, ${row.nameKey}, ${row.code}, ${row.position}, ${row.createdAt})
  returning ${COLUMNS}`;

/** Refused by the unique indexes when the name key or the code is taken. */
export const insertDepartment = async (tx: Tx, row: NewDepartment) => toDepartmentRow((await tx.get<StoredDepartment>(insertStatement(row)))!);

const RENAME = query<StoredDepartment, { id: number; name: string; nameKey: string }>(
  (p) => sql`update ${departments} set name = ${p.name}, name_key = ${p.nameKey} where ${departments.id} = ${p.id} returning ${COLUMNS}`,
);
export const renameDepartment = async (tx: Tx, id: number, name: string, nameKey: string) => optional(await tx.get(RENAME, { id, name, nameKey }));

const SET_ACTIVE = query<StoredDepartment, { id: number; active: boolean; deactivatedAt: number | null }>(
  (p) => sql`update ${departments} set active = ${p.active}, deactivated_at = ${p.deactivatedAt} where ${departments.id} = ${p.id} returning ${COLUMNS}`,
);
/** Active again (deactivatedAt null), or inactive since deactivatedAt. */
export const setDepartmentActive = async (tx: Tx, id: number, active: boolean, deactivatedAt: number | null) =>
  optional(await tx.get(SET_ACTIVE, { id, active, deactivatedAt }));

const SET_POSITION = query<never, { id: number; position: number }>(
  (p) => sql`update ${departments} set position = ${p.position} where ${departments.id} = ${p.id}`,
);
export const setPosition = (tx: Tx, id: number, position: number) => tx.run(SET_POSITION, { id, position });

const DELETE = query<never, { id: number }>((p) => sql`delete from ${departments} where ${departments.id} = ${p.id}`);
export const deleteDepartment = (tx: Tx, id: number) => tx.run(DELETE, { id });

// -- Work items whose workflow goes through a department (the core's tables, read only) ---------

export interface ItemThrough {
  id: number;
  title: string;
  status: string;
  currentStep: number | null;
  /** The item's frozen workflow: JSON of its steps. */
  stepsJson: string;
}

/** A frozen workflow (workflow_snapshots s) with a step whose ref is this code. */
const goesThrough = (r: Reader, code: string) =>
  sql`exists (select 1 from ${r.sql.jsonElements(sql`s.steps_json`, 'step')} where ${r.sql.jsonText(sql`step.value`, 'ref')} = ${code})`;

/** Drafts and active items whose workflow has a step with this department's code, in no order. */
export const openItemsThrough = (r: Reader, code: string) =>
  r.all<ItemThrough>(sql`
    with snapshots as (select s.id, s.steps_json from workflow_snapshots s where ${goesThrough(r, code)})
    select w.id as "id", w.title as "title", w.status as "status", w.current_step as "currentStep", snapshots.steps_json as "stepsJson"
    from work_items w join snapshots on snapshots.id = w.workflow_id
    where w.status in ('draft', 'active')`);

/** How many completed and cancelled items had a step with this code. */
export const closedItemsThrough = async (r: Reader, code: string) =>
  (await r.get<{ n: number }>(sql`
    select count(*) as "n" from work_items w
    where w.status in ('completed', 'cancelled')
      and w.workflow_id in (select s.id from workflow_snapshots s where ${goesThrough(r, code)})`))?.n ?? 0;

// -- Setup's, on ctx.db: setup is synchronous until modules start asynchronously (issue 17) -----

const SEEDED_KEY = 'defaults_seeded';

/** The same SQL as above where they overlap, as statements setup runs on ctx.db. */
export const setupStatements = {
  all: ALL.statement,
  count: sql`select count(*) as "n" from ${departments}`,
  /** A row when the first run's defaults were applied (even if they were all deleted since). */
  seeded: sql`select 1 as "seeded" from ${departmentsMeta} where ${departmentsMeta.key} = ${SEEDED_KEY}`,
  markSeeded: (at: string) => sql`insert into ${departmentsMeta} (key, value) values (${SEEDED_KEY}, ${at})`,
  insert: insertStatement,
};
