import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

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
    /**
     * An administrator's one-time recovery code, as a scrypt hash like the secret: it signs them in
     * although guesses at their PIN locked them out. Null when they have none (or used it).
     */
    recoveryHash: text('recovery_hash'),
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

/**
 * Counted PIN and password attempts, each reserved here before the slow hash runs, so however
 * many guesses arrive at once only the allowed number is ever evaluated. Scopes:
 * - `person-terminal` (key "<userId> <terminal>"): a person's wrong attempts at one terminal;
 * - `person` (key "<userId>"): a person's wrong attempts at all terminals together;
 * - `terminal` (key "<terminal>"): wrong sign-ins at one terminal, whoever they were for.
 */
export const attemptLimits = sqliteTable(
  'user_attempt_limits',
  {
    scope: text('scope', { enum: ['person-terminal', 'person', 'terminal'] }).notNull(),
    key: text('key').notNull(),
    /** Wrong attempts since the last good one. Never reset by a lockout. */
    failures: integer('failures').notNull().default(0),
    /** Attempts counted but still being checked; the limit counts them with the failures. */
    pending: integer('pending').notNull().default(0),
    /** Refused without evaluating until then (ms). */
    lockedUntil: integer('locked_until'),
    /** When an attempt was last counted (ms); a terminal's count starts again after a quiet lockout period. */
    lastAttemptAt: integer('last_attempt_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] })],
);

/**
 * Who is signed in at which window session (sessions.ts keeps them in memory and writes them
 * through to here where sign-ins are to outlive a restart: a site server). The session id is kept
 * only as its SHA-256, so a copy of the database or a backup gives nobody a live session; the
 * PIN the person signed in with (their quick e-signature verifier) is never written anywhere.
 */
export const sessions = sqliteTable(
  'user_sessions',
  {
    sessionHash: text('session_hash').primaryKey(),
    userId: integer('user_id').notNull(),
    signedInAt: integer('signed_in_at').notNull(),
    /**
     * Their last activity (ms), as the idle lock and sign-out measure it. Written at most every
     * 30 s while they work (and whenever the session locks), so after a restart the idle clock may
     * be up to that much early: the session locks at most 30 s sooner than it would have.
     */
    lastActivity: integer('last_activity').notNull(),
    locked: integer('locked', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [index('user_sessions_user').on(t.userId), index('user_sessions_last_activity').on(t.lastActivity)],
);
