import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** The people who sign in. The PIN or password is kept only as a salted scrypt hash. */
export const users = sqliteTable(
  'users',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    /** Employee or licence number, as typed (trimmed, upper case); unique. */
    number: text('number').notNull(),
    role: text('role', { enum: ['staff', 'lead', 'admin'] }).notNull(),
    /** Department codes (JSON array): codes survive a department's rename. */
    departmentsJson: text('departments_json').notNull().default('[]'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    /** "$scrypt$ln=16,r=8,p=1$<salt>$<hash>": the parameters travel with the hash so they can be raised later. */
    secretHash: text('secret_hash').notNull(),
    /** Wrong PINs since the last good one or the last lockout. */
    failedAttempts: integer('failed_attempts').notNull().default(0),
    /** Sign-in and signing are refused until this time (ms), after too many wrong PINs. */
    lockedUntil: integer('locked_until'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('users_number').on(t.number)],
);

/**
 * The e-signature record: one row per signed transition, with the signer as they were at the
 * time and what the signature meant. Append-only (triggers in migration 0001_append_only).
 */
export const signatures = sqliteTable(
  'user_signatures',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    itemId: integer('item_id').notNull(),
    /** The transition event this signature belongs to (the work item's event seq). */
    eventSeq: integer('event_seq').notNull(),
    action: text('action', { enum: ['submit', 'approve', 'reject', 'cancel'] }).notNull(),
    /** In words: "Approved at Quality Control", "Rejected to Engineering", "Cancelled at Operations". */
    meaning: text('meaning').notNull(),
    signerId: text('signer_id').notNull(),
    signerName: text('signer_name').notNull(),
    signerNumber: text('signer_number').notNull(),
    signerRole: text('signer_role').notNull(),
    /** The department (step) where it was signed, by name as it was then. */
    department: text('department').notNull(),
    signedAt: integer('signed_at').notNull(),
  },
  (t) => [uniqueIndex('user_signatures_item_seq').on(t.itemId, t.eventSeq), index('user_signatures_signer').on(t.signerId)],
);
