/**
 * The templates module's SQL (issue 17), for SQLite and PostgreSQL alike: functions of a
 * transaction or a reader and plain values, answering plain rows.
 */
import { sql, type SQL } from 'drizzle-orm';
import { query, type DialectSql, type Reader, type Tx } from '../../src/core/modules/api';
import { templates, templateVersions } from './schema';

export interface TemplateRow {
  id: number;
  key: string;
  active: boolean;
  currentVersion: number;
}

/** One saved version (never changed once written: triggers refuse it). */
export interface VersionRow {
  templateId: number;
  version: number;
  name: string;
  description: string;
  /** JSON: the steps, department codes in order. */
  stepsJson: string;
  commentOnReject: boolean;
  commentOnEveryAction: boolean;
  noSelfApproval: boolean;
  eSignature: boolean;
  origin: string;
  createdAt: number;
  createdById: string;
  createdByName: string;
}

/** A template with its current version. */
export interface CurrentTemplate {
  template: TemplateRow;
  version: VersionRow;
}

const FLAGS = ['commentOnReject', 'commentOnEveryAction', 'noSelfApproval', 'eSignature'] as const;

/** As the database gives them: flags are 1/0 on SQLite, booleans on PostgreSQL. */
type Stored<T, K extends keyof T> = Omit<T, K> & { [F in K]: unknown };
type StoredTemplate = Stored<TemplateRow, 'active'>;
type StoredVersion = Stored<VersionRow, (typeof FLAGS)[number]>;

const toTemplate = (row: StoredTemplate): TemplateRow => ({ id: row.id, key: row.key, active: Boolean(row.active), currentVersion: row.currentVersion });
const toVersion = (row: StoredVersion): VersionRow => ({
  templateId: row.templateId,
  version: row.version,
  name: row.name,
  description: row.description,
  stepsJson: row.stepsJson,
  commentOnReject: Boolean(row.commentOnReject),
  commentOnEveryAction: Boolean(row.commentOnEveryAction),
  noSelfApproval: Boolean(row.noSelfApproval),
  eSignature: Boolean(row.eSignature),
  origin: row.origin,
  createdAt: row.createdAt,
  createdById: row.createdById,
  createdByName: row.createdByName,
});
const toCurrent = (row: StoredTemplate & StoredVersion): CurrentTemplate => ({ template: toTemplate(row), version: toVersion(row) });

const TEMPLATE_COLUMNS = sql`${templates.id} as "id", ${templates.key} as "key", ${templates.active} as "active",
  ${templates.currentVersion} as "currentVersion"`;
const VERSION_COLUMNS = sql`${templateVersions.templateId} as "templateId", ${templateVersions.version} as "version",
  ${templateVersions.name} as "name", ${templateVersions.description} as "description", ${templateVersions.stepsJson} as "stepsJson",
  ${templateVersions.commentOnReject} as "commentOnReject", ${templateVersions.commentOnEveryAction} as "commentOnEveryAction",
  ${templateVersions.noSelfApproval} as "noSelfApproval", ${templateVersions.eSignature} as "eSignature", ${templateVersions.origin} as "origin",
  ${templateVersions.createdAt} as "createdAt", ${templateVersions.createdById} as "createdById", ${templateVersions.createdByName} as "createdByName"`;

// Looked up by every handler that reads or writes a template: compiled once.
const BY_ID = query<StoredTemplate, { id: number }>((p) => sql`select ${TEMPLATE_COLUMNS} from ${templates} where ${templates.id} = ${p.id}`);
const BY_KEY = query<StoredTemplate, { key: string }>((p) => sql`select ${TEMPLATE_COLUMNS} from ${templates} where ${templates.key} = ${p.key}`);
const VERSION = query<StoredVersion, { templateId: number; version: number }>(
  (p) => sql`select ${VERSION_COLUMNS} from ${templateVersions}
    where ${templateVersions.templateId} = ${p.templateId} and ${templateVersions.version} = ${p.version}`,
);
const VERSIONS_OF = query<StoredVersion, { templateId: number }>(
  (p) => sql`select ${VERSION_COLUMNS} from ${templateVersions} where ${templateVersions.templateId} = ${p.templateId}
    order by ${templateVersions.version} desc`,
);
const ALL_VERSIONS = query<StoredVersion>(
  () => sql`select ${VERSION_COLUMNS} from ${templateVersions} order by ${templateVersions.templateId}, ${templateVersions.version}`,
);

export const templateById = async (r: Reader, id: number) => {
  const row = await r.get(BY_ID, { id });
  return row ? toTemplate(row) : undefined;
};
/** Keys compare exactly (they are lower-case slugs by rule). */
export const templateByKey = async (r: Reader, key: string) => {
  const row = await r.get(BY_KEY, { key });
  return row ? toTemplate(row) : undefined;
};
export const versionOf = async (r: Reader, templateId: number, version: number) => {
  const row = await r.get(VERSION, { templateId, version });
  return row ? toVersion(row) : undefined;
};
/** A template's versions, the latest first. */
export const versionsOf = async (r: Reader, templateId: number) => (await r.all(VERSIONS_OF, { templateId })).map(toVersion);
/** Every version of every template. */
export const allVersions = async (r: Reader) => (await r.all(ALL_VERSIONS)).map(toVersion);

/** Templates with their current version, by name ignoring the case of A–Z, then by id. */
const currentStatement = (d: DialectSql, includeInactive: boolean) => sql`
  select ${TEMPLATE_COLUMNS}, ${VERSION_COLUMNS}
  from ${templates} join ${templateVersions}
    on ${templateVersions.templateId} = ${templates.id} and ${templateVersions.version} = ${templates.currentVersion}
  ${includeInactive ? sql`` : sql`where ${templates.active} = ${d.bool(true)}`}
  order by ${d.nocase(sql`${templateVersions.name}`)}, ${templates.id}`;
export const currentTemplates = async (r: Reader, includeInactive: boolean) =>
  (await r.all<StoredTemplate & StoredVersion>(currentStatement(r.sql, includeInactive))).map(toCurrent);

export type NewTemplate = { key: string; active: boolean; createdAt: number };

/** At version 1. */
const insertTemplateStatement = (d: DialectSql, row: NewTemplate): SQL => sql`
  insert into ${templates} ("key", active, current_version, created_at) values (${row.key}, ${d.bool(row.active)}, 1, ${row.createdAt})
  returning ${templates.id} as "id"`;
/** The new template's id; refused by the unique index when the key is taken. */
export const insertTemplate = async (tx: Tx, row: NewTemplate) => (await tx.get<{ id: number }>(insertTemplateStatement(tx.sql, row)))!.id;

const insertVersionStatement = (d: DialectSql, row: VersionRow): SQL => sql`
  insert into ${templateVersions} (template_id, version, name, description, steps_json, comment_on_reject, comment_on_every_action,
    no_self_approval, e_signature, origin, created_at, created_by_id, created_by_name)
  values (${row.templateId}, ${row.version}, ${row.name}, ${row.description}, ${row.stepsJson}, ${d.bool(row.commentOnReject)},
    ${d.bool(row.commentOnEveryAction)}, ${d.bool(row.noSelfApproval)}, ${d.bool(row.eSignature)}, ${row.origin}, ${row.createdAt},
    ${row.createdById}, ${row.createdByName})`;
/** Refused by the primary key when that version exists. */
export const insertVersion = (tx: Tx, row: VersionRow) => tx.run(insertVersionStatement(tx.sql, row));

const SET_CURRENT_VERSION = query<never, { id: number; version: number }>(
  (p) => sql`update ${templates} set current_version = ${p.version} where ${templates.id} = ${p.id}`,
);
export const setCurrentVersion = (tx: Tx, id: number, version: number) => tx.run(SET_CURRENT_VERSION, { id, version });

const SET_ACTIVE = query<never, { id: number; active: boolean }>((p) => sql`update ${templates} set active = ${p.active} where ${templates.id} = ${p.id}`);
export const setTemplateActive = (tx: Tx, id: number, active: boolean) => tx.run(SET_ACTIVE, { id, active });

// -- Setup's, on ctx.db: setup is synchronous until modules start asynchronously (issue 17) -----

/** The same SQL as above, as statements setup runs on ctx.db, and what makes rows of what they give. */
export const setupStatements = {
  /** A row when there is any template. */
  any: sql`select 1 as "any" from ${templates} limit 1`,
  insertTemplate: insertTemplateStatement,
  insertVersion: insertVersionStatement,
  current: (d: DialectSql) => currentStatement(d, true),
  allVersions: ALL_VERSIONS.statement,
  toCurrent: (row: unknown) => toCurrent(row as StoredTemplate & StoredVersion),
  toVersion: (row: unknown) => toVersion(row as StoredVersion),
};
