import { and, asc, eq, getTableName, sql } from 'drizzle-orm';
import { z } from 'zod';
import { defineModule, type CallContext } from '../../src/core/modules/types';
import { AppError } from '../../src/shared/errors';
import type { Actor, SessionActor, WorkflowStep, WorkItem } from '../../src/shared/types';
import { usersContract, type SessionState, type Signature } from './contract';
import { AttemptLimits } from './attempts';
import { DEFAULT_KDF, hashSecret, needsRehash } from './kdf';
import { KdfQueue } from './kdfQueue';
import { isMember, transitionRefusal, type Person, type TransitionKind } from './permissions';
import type { Role } from './rules';
import { audited } from './audited';
import { hashRecoveryCode, newRecoveryCode, recoveryCodeMatches } from './recoveryCode';
import { SecretChecks, type Origin } from './secretChecks';
import { SECRET_RULE_TEXT } from './secretRule';
import { sessions as sessionRows, signatures, users } from './schema';
import { withinTurn } from './withinTurn';
import { endAllSessions, SessionTable } from './sessions';
import { sessionVerifier, verifiedBySession } from './sessionVerifier';
import { meaning, signatureRequired, stepOf, type SignaturePolicy } from './signing';
import { actorIdOf, codesOf, toEntry, toUser, userIdOf, UserRows, type UserRow } from './userRows';

const KINDS = ['submit', 'approve', 'reject', 'cancel'] as const;

/** The part of the templates module this one reads when it is on (its exports). */
interface TemplateRulesDirectory {
  rulesFor(source: { id: string; version?: number }): { eSignature?: boolean } | null;
}

const configSchema = z
  .strictObject({
  /** Wrong PINs or passwords by one person at one terminal (sign-in or signing) before that terminal refuses them. */
  maxFailedAttempts: z.number().int().min(1).max(20).default(5),
  /** Wrong PINs or passwords by one person at all terminals together before every terminal refuses them. */
  maxFailedAttemptsAllTerminals: z.number().int().min(1).max(100).default(15),
  /** Wrong sign-ins at one terminal, whoever they were for, before it refuses sign-ins for a lockout period. */
  maxFailedSignInsPerTerminal: z.number().int().min(1).max(500).default(20),
  /** How long the first lockout lasts; each wrong attempt after it locks again for twice as long (up to a day). */
  lockoutMinutes: z.number().int().min(1).max(1440).default(15),
  /** A terminal nobody has used for this long locks (the core refuses its calls until unlocked). */
  idleLockMinutes: z.number().min(1).max(480).default(10),
  /**
   * A session nobody has used for this long (locked or not) is signed out, and forgotten: the
   * same person's PIN no longer just unlocks it. Where sign-ins outlive restarts (a site server)
   * this is also how long they are kept.
   */
  idleSignOutHours: z.number().min(1).max(168).default(12),
  /** Which transitions are e-signatures (the PIN or password is re-entered). */
  signatureActions: z.array(z.enum(KINDS)).max(4).default(['approve', 'reject', 'cancel']),
  /** Only at steps of these departments (codes, or names for steps without a code); left out: everywhere. */
  signatureDepartments: z.array(z.string().trim().min(1).max(120)).min(1).optional(),
  /** scrypt cost as log2(N): 16 = 64 MiB per hash. Stored with each hash; raising it re-hashes at the next sign-in. */
  scryptCost: z.number().int().min(14).max(20).default(DEFAULT_KDF.ln),
  /**
   * E-signatures of a signed-in person are checked against the PIN they signed in with, held in
   * memory for that session (sessionVerifier.ts), instead of a full scrypt each time; attempts are
   * counted and locked out the same. false: scrypt for every signature.
   */
  quickSignatures: z.boolean().default(true),
  })
  .refine((c) => c.maxFailedAttemptsAllTerminals >= c.maxFailedAttempts, {
    message: 'maxFailedAttemptsAllTerminals cannot be less than maxFailedAttempts',
    path: ['maxFailedAttemptsAllTerminals'],
  })
  .refine((c) => c.idleSignOutHours * 60 >= c.idleLockMinutes, {
    message: 'idleSignOutHours cannot be shorter than idleLockMinutes',
    path: ['idleSignOutHours'],
  });

/** The longest a lockout grows to after repeated wrong attempts. */
const MAX_LOCKOUT_MS = 24 * 60 * 60_000;

/** The part of the departments module this one relies on (its exports). */
interface DepartmentLookup {
  byCode(code: string): { name: string; code: string } | null;
  addReferenceSource?(source: (code: string) => string[]): void;
}

const TRANSITION_CHANNELS: Record<string, TransitionKind> = {
  'workItems.submit': 'submit',
  'workItems.approve': 'approve',
  'workItems.reject': 'reject',
  'workItems.cancel': 'cancel',
};

const iso = (ms: number) => new Date(ms).toISOString();
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** A bulk sign-off's input as the contract parsed it (workItems.approveMany). */
interface BulkSignOff {
  items: { id: number; expectedVersion: number; expectedStep: number }[];
  signature?: { secret: string };
}

const signatureMissing = () =>
  new AppError('VALIDATION', 'signature.secret: This is an electronic signature: enter your PIN or password to sign.', {
    issues: [{ path: ['signature', 'secret'], message: 'Enter your PIN or password to sign' }],
  });

export default defineModule({
  name: 'users',
  version: '0.1.0',
  description: 'People sign in with a PIN or password; roles and departments decide who may approve, reject and cancel; approvals are e-signed.',
  dependsOn: ['departments'],
  hasMigrations: true,
  optionalDependsOn: ['templates'],
  providesIdentity: true,
  configSchema,
  contract: usersContract,
  signInTables: [getTableName(sessionRows)],
  setup({ db, storage, config, clock, transaction, recordChange, use, workItems, durableSessions, log }) {
    const departments = use<DepartmentLookup | undefined>('departments');
    if (typeof departments?.byCode !== 'function') throw new Error('the departments module does not offer its directory (byCode)');
    const templates = use<TemplateRulesDirectory | undefined>('templates');
    const rows = new UserRows(db);
    const idleMs = config.idleLockMinutes * 60_000;
    const idleSignOutMs = config.idleSignOutHours * 3_600_000;
    // Who was signed in where, when sign-ins outlive restarts (a site server; see ModuleContext.durableSessions).
    // Elsewhere (the desktop app) a start signs everyone out, and nothing is kept. (A restored
    // backup's sign-ins are gone before it is put in place: signInTables.)
    if (!durableSessions) endAllSessions(db);
    const sessions = new SessionTable(db, durableSessions);
    // Sessions idle beyond sign-out are forgotten at the start (and at each sign-in), so none pile up.
    if (durableSessions) sessions.endIdleSince(clock() - idleSignOutMs);
    const kdf = { ...DEFAULT_KDF, ln: config.scryptCost };
    const policy: SignaturePolicy = { actions: config.signatureActions, ...(config.signatureDepartments ? { departments: config.signatureDepartments } : {}) };
    // Items keep the rules of the template version they started with.
    const templateAsks = (item: WorkItem) =>
      item.workflow && typeof templates?.rulesFor === 'function' ? templates.rulesFor(item.workflow)?.eSignature === true : false;
    const needsSignature = (item: WorkItem, action: TransitionKind) => signatureRequired(policy, item, action, templateAsks(item));
    const limits = new AttemptLimits(
      db,
      {
        perTerminal: config.maxFailedAttempts,
        allTerminals: config.maxFailedAttemptsAllTerminals,
        terminalSignIns: config.maxFailedSignInsPerTerminal,
        lockoutMs: config.lockoutMinutes * 60_000,
        maxLockoutMs: MAX_LOCKOUT_MS,
      },
      clock,
    );
    const kdfQueue = new KdfQueue(undefined, storage.released);
    // Attempts a crash left half-checked count as wrong ones (they may have been).
    transaction(() => limits.settleAbandoned());

    departments.addReferenceSource?.((code) => {
      const n =
        db.get<{ n: number }>(sql`select count(*) as n from users u where exists (select 1 from json_each(u.departments_json) j where j.value = ${code})`)?.n ?? 0;
      return n ? [`The users list (${plural(n, 'person', 'people')})`] : [];
    });

    const departmentByCode = withinTurn((code) => departments.byCode(code));
    const departmentName = (code: string) => departmentByCode(code)?.name ?? code;
    /** A step's department as people know it now (its code survives renames; the item keeps the old name). */
    const stepLabel = (step: WorkflowStep) => (step.ref ? (departmentByCode(step.ref)?.name ?? step.name) : step.name);
    const toActor = (row: UserRow): SessionActor => ({
      id: actorIdOf(row.id),
      name: row.name,
      number: row.number,
      role: row.role,
      departments: codesOf(row).map(departmentName),
    });
    const personOf = (row: UserRow): Person => ({
      actorId: actorIdOf(row.id),
      role: row.role as Role,
      codes: codesOf(row),
      names: codesOf(row).map(departmentName),
    });
    const rowOfActorId = (actorId: string): UserRow | undefined => {
      const id = userIdOf(actorId);
      return id === null ? undefined : rows.byId(id);
    };
    const rowOfActor = (actor: Actor) => rowOfActorId(actor.id);
    const hintRowOf = withinTurn(rowOfActorId);
    /** Who a change at a signed-out terminal is recorded against. */
    const terminal = ({ terminal }: Origin): Actor => ({ id: `terminal:${terminal}`, name: 'Sign-in at a terminal' });
    /** An administrator's command that waited for a hash: they must still be one when it writes. */
    const stillAdministers = (actor: Actor) => {
      const row = rowOfActor(actor);
      if (!row?.active || row.role !== 'admin') throw new AppError('FORBIDDEN', 'You are no longer an active administrator here; nothing was changed.');
    };
    const audit = (row: UserRow) => ({ name: row.name, number: row.number, role: row.role, departments: codesOf(row), active: row.active });

    // Once someone exists the first-run set-up is closed for good (users are deactivated, never deleted).
    let anyone = rows.any();

    /** Where a terminal stands now. A session idle for too long is locked here, whatever the screen did. */
    const current = (session: string): { state: SessionState['state']; row?: UserRow } => {
      if (!anyone) return { state: 'setup' };
      const entry = sessions.get(session);
      if (!entry) return { state: 'signed-out' };
      const row = rows.byId(entry.userId);
      if (!row?.active) {
        sessions.signOut(session);
        return { state: 'signed-out' };
      }
      const idle = clock() - entry.lastActivity;
      if (idle > idleSignOutMs) {
        transaction(() => {
          sessions.signOut(session);
          recordChange(
            { entity: 'session', entityId: session, action: 'signed-out', after: { userId: row.id, reason: 'idle', idleSince: iso(entry.lastActivity) } },
            toActor(row),
          );
        });
        return { state: 'signed-out' };
      }
      if (!entry.locked && idle > idleMs) {
        transaction(() => {
          if (!sessions.lock(session)) return;
          recordChange(
            { entity: 'session', entityId: session, action: 'locked', after: { userId: row.id, reason: 'idle', idleSince: iso(entry.lastActivity) } },
            toActor(row),
          );
        });
      }
      return { state: entry.locked ? 'locked' : 'signed-in', row };
    };

    const sessionState = (session: string): SessionState => {
      const { state, row } = current(session);
      return { state, user: row ? toEntry(row) : null, idleLockMinutes: config.idleLockMinutes, secretRule: SECRET_RULE_TEXT };
    };

    /** What a signature of this action on this item means, as its record says ("Approved at Quality Control (sign-off 1 of 2)"). */
    const meaningOf = (item: WorkItem, action: TransitionKind, toStep: number | null) => {
      const step = stepOf(item);
      const to = toStep === null ? undefined : item.steps[toStep];
      const required = step?.minSignoffs ?? 1;
      const signoff = action === 'approve' && required > 1 ? ` (sign-off ${item.currentSignoffs.length + 1} of ${required})` : '';
      return meaning(action, step ? stepLabel(step) : 'this item', to ? stepLabel(to) : null) + signoff;
    };

    const refuseTransition = (action: TransitionKind, item: WorkItem, row: UserRow) => {
      const reason = transitionRefusal(action, item, personOf(row), stepLabel);
      if (reason) {
        const step = stepOf(item);
        throw new AppError('FORBIDDEN', reason, { role: row.role, department: step ? stepLabel(step) : null });
      }
    };

    /**
     * Checks an e-signature here, before the transition's transaction and off the main thread; the
     * guard then sees only that this call's signature was checked, never the secret.
     */
    const sign = async (signature: { secret: string } | undefined, call: CallContext, row: UserRow) => {
      if (!signature?.secret) throw signatureMissing();
      const here = sessions.get(call.session);
      const quick =
        config.quickSignatures && here?.userId === row.id && !here.locked ? (typed: string) => verifiedBySession(here.verifier, typed, row.secretHash) : undefined;
      await checks.check(row, signature.secret, call, 'signature', quick);
      call.signature = { signerId: actorIdOf(row.id) };
    };

    /**
     * A bulk sign-off: the PIN is checked once for the whole batch (a wrong one counts once and signs
     * nothing), when any item this person may approve, as it was shown, is an e-signature. Items
     * that changed meanwhile or that they may not approve are refused one by one in the transition
     * (its guard), and listed.
     */
    const signOnceForAll = async ({ items, signature }: BulkSignOff, call: CallContext, row: UserRow) => {
      const signed = items.some(({ id, expectedVersion, expectedStep }) => {
        const item = workItems.get(id);
        if (!item || item.version !== expectedVersion || item.currentStep !== expectedStep) return false;
        return !transitionRefusal('approve', item, personOf(row), stepLabel) && needsSignature(item, 'approve');
      });
      if (signed) await sign(signature, call, row);
    };

    const checks = new SecretChecks({
      limits,
      queue: kdfQueue,
      transaction,
      recordChange,
      reread: (id) => rows.byId(id),
      actorOf: toActor,
      terminalActor: terminal,
      lockoutMinutes: config.lockoutMinutes,
      clock,
      released: storage.released,
    });

    /** The person a sign-in names: picked from the list (id) or typed (number). */
    const personAsked = (userId: number | undefined, number: string | undefined) =>
      userId !== undefined ? rows.byId(userId) : rows.byNumber(number!);

    /** After a good PIN, password or recovery code: this terminal is theirs now (or theirs again, unlocked). */
    /** `secret`: the PIN or password just checked, kept as this session's verifier for its e-signatures. */
    const signInHere = (row: UserRow, session: string, method?: string, secret?: string) => {
      const previous = sessions.get(session);
      const now = clock();
      transaction(() => {
        if (previous && previous.userId !== row.id) {
          recordChange({ entity: 'session', entityId: session, action: 'signed-out', after: { userId: previous.userId, reason: 'switched user' } }, toActor(row));
        }
        const action = previous?.userId === row.id && previous.locked ? 'unlocked' : 'signed-in';
        recordChange({ entity: 'session', entityId: session, action, after: { userId: row.id, number: row.number, ...(method ? { method } : {}) } }, toActor(row));
        sessions.signIn(session, row.id, now, secret === undefined ? undefined : sessionVerifier(secret, row.secretHash));
        // From time to time (at sign-ins) sessions idle beyond sign-out go, so none pile up where they are kept.
        if (durableSessions) sessions.endIdleSince(now - idleSignOutMs);
      });
    };

    const terminalLocks = () => limits.lockedTerminals().map((l) => ({ terminal: l.key, until: iso(l.until), failures: l.failures }));

    /** A person as administrators see them, with where they are locked out now. */
    const userOf = (row: UserRow) => toUser(row, limits.locksOf(row.id));

    const uniqueNumber = (number: string, exceptId?: number) => {
      const taken = rows.byNumber(number);
      if (taken && taken.id !== exceptId) {
        const message = `The number ${number} already belongs to ${taken.name}${taken.active ? '' : ' (inactive)'}.`;
        throw new AppError('VALIDATION', message, { issues: [{ path: ['number'], message }] });
      }
    };
    const knownDepartments = (codes: string[]) => {
      const unknown = codes.filter((c) => !departments.byCode(c));
      if (unknown.length) {
        const message = `There is no department with the code ${unknown.join(', ')}.`;
        throw new AppError('VALIDATION', message, { issues: [{ path: ['departments'], message }] });
      }
    };
    const keepAnAdmin = (row: UserRow, what: string) => {
      if (row.role === 'admin' && row.active && rows.otherActiveAdmins(row.id) === 0) {
        throw new AppError(
          'INVALID_TRANSITION',
          `${row.name} is the last active administrator and cannot be ${what}: make someone else an administrator first, or nobody could change the settings.`,
          { id: row.id },
        );
      }
    };

    /** A person as other modules see them (no secrets, no lockout). Read through ctx.use('users'). */
    const personInfo = (row: UserRow) => ({
      id: row.id,
      actorId: actorIdOf(row.id),
      name: row.name,
      number: row.number,
      role: row.role as Role,
      departments: codesOf(row),
      active: row.active,
    });

    return {
      audited,
      exports: {
        /** The person behind an actor id (`user:<id>`) or a user id, active or not; null if unknown. */
        person: (who: string | number) => {
          const row = typeof who === 'number' ? rows.byId(who) : rowOfActorId(who);
          return row ? personInfo(row) : null;
        },
        /** Everyone (active or not) who belongs to a step's department: by code (`ref`), else by name, as for approvals. */
        membersOf: (step: WorkflowStep) => rows.all().filter((r) => isMember(personOf(r), step)).map(personInfo),
      },

      identity: {
        actorFor: (session) => {
          const { state, row } = current(session);
          return state === 'signed-in' && row ? toActor(row) : null;
        },
        canAdminister: (session) => {
          const { state, row } = current(session);
          return state === 'signed-in' && row?.role === 'admin';
        },
        publicChannels: ['users.sessionState', 'users.directory', 'users.setupFirstAdmin', 'users.signIn', 'users.signInWithRecoveryCode', 'users.lock', 'users.signOut'],
        hasPeople: () => rows.any(),
      },

      authorize: async ({ channel, kind, input, call }) => {
        const row = rowOfActor(call.actor);
        if (!row) return;
        // A change (or the screen reporting input, users.activity) keeps the terminal from locking;
        // a read does not, or a screen refreshing itself would keep an abandoned terminal open.
        if ((kind === 'command' || channel === 'users.activity') && !sessions.touch(call.session, clock())) {
          log('Could not note the activity of a session (the idle lock after a restart may come early).');
        }
        if (channel === 'users.list' && row.role !== 'admin') {
          throw new AppError('FORBIDDEN', 'Only an administrator can see the list of users.', { role: row.role });
        }
        if (channel === 'workItems.approveMany') return signOnceForAll(input as BulkSignOff, call, row);
        const action = TRANSITION_CHANNELS[channel];
        if (!action) return;
        const { id, signature } = input as { id: number; signature?: { secret: string } };
        const item = workItems.get(id);
        if (!item) return; // the handler answers NOT_FOUND
        refuseTransition(action, item, row);
        if (!needsSignature(item, action)) return;
        await sign(signature, call, row);
      },

      guards: [
        ({ item, command, actor, signature }) => {
          const row = rowOfActor(actor);
          if (!row?.active) throw new AppError('FORBIDDEN', 'Sign in first: only people with an account can move items.');
          refuseTransition(command.type, item, row);
          if (needsSignature(item, command.type) && signature?.signerId !== actor.id) throw signatureMissing();
        },
      ],

      hints: (item, actor) => {
        // Display only (the guards decide): a page's hints read the person once, not once per item.
        const row = hintRowOf(actor.id);
        if (!row) return {};
        const person = personOf(row);
        return Object.fromEntries(
          KINDS.map((action) => {
            const blocked = transitionRefusal(action, item, person, stepLabel);
            // A rejection's meaning depends on the step chosen in the dialog.
            const signed = needsSignature(item, action) ? { signatureRequired: true, ...(action === 'reject' ? {} : { signatureMeaning: meaningOf(item, action, null) }) } : {};
            return [action, { ...(blocked ? { blocked } : {}), ...signed }];
          }),
        );
      },

      on: {
        transition: ({ item, after, event, actor, now }) => {
          const action = event.action as TransitionKind;
          if (!KINDS.includes(action) || !needsSignature(item, action)) return;
          const row = rowOfActor(actor)!;
          const step = stepOf(item);
          const at = step ? stepLabel(step) : 'this item';
          db.insert(signatures)
            .values({
              itemId: item.id,
              eventSeq: after.version,
              action,
              meaning: meaningOf(item, action, event.toStep),
              signerId: actor.id,
              signerName: row.name,
              signerNumber: row.number,
              signerRole: row.role,
              department: at,
              signedAt: now,
            })
            .run();
        },
      },

      handlers: {
        'users.sessionState': (_input, call) => sessionState(call.session),

        'users.directory': ({ search }) => {
          const needle = search?.toLowerCase();
          return rows
            .all()
            .filter((r) => r.active && (!needle || r.name.toLowerCase().includes(needle) || r.number.toLowerCase().includes(needle)))
            .map(toEntry);
        },

        'users.setupFirstAdmin': async ({ name, number, secret }, call) => {
          const closed = () => new AppError('FORBIDDEN', 'The first administrator is already set up here; sign in instead.');
          if (anyone) throw closed();
          const secretHash = await kdfQueue.run(call.terminal, 'new person', () => hashSecret(secret, kdf));
          const recoveryCode = newRecoveryCode();
          transaction(() => {
            if (rows.any()) throw closed();
            const now = clock();
            const created = db
              .insert(users)
              .values({
                name,
                number,
                role: 'admin',
                departmentsJson: '[]',
                active: true,
                secretHash,
                recoveryHash: hashRecoveryCode(recoveryCode),
                createdAt: now,
                updatedAt: now,
              })
              .returning()
              .get();
            recordChange({ entity: 'user', entityId: String(created.id), action: 'created', after: audit(created) }, toActor(created));
            recordChange({ entity: 'user', entityId: String(created.id), action: 'recovery-code-created' }, toActor(created));
            recordChange({ entity: 'session', entityId: call.session, action: 'signed-in', after: { userId: created.id, number } }, toActor(created));
            sessions.signIn(call.session, created.id, now, sessionVerifier(secret, created.secretHash));
          });
          anyone = true;
          return { ...sessionState(call.session), recoveryCode };
        },

        'users.signIn': async ({ userId, number, secret }, call) => {
          const found = personAsked(userId, number);
          if (!found?.active) {
            // Counted against the terminal like any wrong sign-in, so names and numbers cannot be tried without end.
            checks.failedAtTerminal(call, 'sign-in-failed', { userId: userId ?? null, number: number ?? null, reason: 'unknown person' });
            throw new AppError(
              'FORBIDDEN',
              number !== undefined ? `Nobody active has the number ${number}. Check it, or pick your name from the list.` : 'That person can no longer sign in (inactive).',
            );
          }
          const row = await checks.check(found, secret, call, 'sign-in');
          signInHere(row, call.session, undefined, secret);
          if (needsRehash(row.secretHash, kdf)) {
            const upgraded = await kdfQueue.run(call.terminal, `user:${row.id}`, () => hashSecret(secret, kdf));
            db.update(users).set({ secretHash: upgraded }).where(and(eq(users.id, row.id), eq(users.secretHash, row.secretHash))).run();
          }
          return sessionState(call.session);
        },

        'users.signInWithRecoveryCode': ({ userId, number, code }, call) => {
          const found = personAsked(userId, number);
          // A code is 100 random bits and checked at once (no slow hash): it is let through a locked
          // terminal, so an administrator can always get in; wrong ones count against the terminal.
          if (!found?.active || found.role !== 'admin' || !recoveryCodeMatches(code, found.recoveryHash)) {
            checks.failedAtTerminal(call, 'recovery-code-failed', { userId: found?.id ?? null, number: found?.number ?? number ?? null });
            throw new AppError(
              'FORBIDDEN',
              'That recovery code is not valid for this person. Each code works once, and only for the administrator it was made for.',
            );
          }
          const fresh = newRecoveryCode();
          transaction(() => {
            // Used once: only if nobody used it meanwhile (at another terminal).
            const used = db
              .update(users)
              .set({ recoveryHash: hashRecoveryCode(fresh), updatedAt: clock() })
              .where(and(eq(users.id, found.id), eq(users.recoveryHash, found.recoveryHash!)))
              .run().changes;
            if (!used) throw new AppError('STALE_VERSION', 'That recovery code was used meanwhile; nothing was done.');
            // Lifts the lock at every terminal and at this one; a lock at the terminal the guesses came from stays.
            limits.clearPerson(found.id, call.terminal);
            recordChange({ entity: 'user', entityId: String(found.id), action: 'recovery-code-used', after: { terminal: call.terminal } }, toActor(found));
            recordChange({ entity: 'user', entityId: String(found.id), action: 'recovery-code-created' }, toActor(found));
          });
          signInHere(rows.get(found.id), call.session, 'recovery code');
          return { ...sessionState(call.session), recoveryCode: fresh };
        },

        'users.newRecoveryCode': async ({ secret }, call) => {
          const row = rowOfActor(call.actor);
          if (!row?.active || row.role !== 'admin') throw new AppError('FORBIDDEN', 'Only administrators have recovery codes.');
          await checks.check(row, secret, call, 'secret-change');
          const fresh = newRecoveryCode();
          transaction(() => {
            // Only while they are still an administrator: a code goes with the role.
            const made = db
              .update(users)
              .set({ recoveryHash: hashRecoveryCode(fresh), updatedAt: clock() })
              .where(and(eq(users.id, row.id), eq(users.role, 'admin'), eq(users.active, true)))
              .run().changes;
            if (!made) throw new AppError('FORBIDDEN', 'Only administrators have recovery codes.');
            recordChange({ entity: 'user', entityId: String(row.id), action: 'recovery-code-created' }, toActor(row));
          });
          return { recoveryCode: fresh };
        },

        'users.lock': (_input, call) => {
          const entry = sessions.get(call.session);
          const row = entry && rows.byId(entry.userId);
          if (row) {
            transaction(() => {
              if (sessions.lock(call.session)) recordChange({ entity: 'session', entityId: call.session, action: 'locked', after: { userId: row.id, reason: 'lock' } }, toActor(row));
            });
          }
          return sessionState(call.session);
        },

        'users.signOut': (_input, call) => {
          if (sessions.get(call.session)) {
            // The row goes with the entry on record, in one transaction.
            transaction(() => {
              const ended = sessions.signOut(call.session);
              const row = ended && rows.byId(ended.userId);
              if (row) recordChange({ entity: 'session', entityId: call.session, action: 'signed-out', after: { userId: row.id } }, toActor(row));
            });
          }
          return sessionState(call.session);
        },

        'users.list': ({ includeInactive }) =>
          rows
            .all()
            .filter((r) => includeInactive || r.active)
            .map(userOf),

        'users.create': async ({ name, number, role, departments: codes, secret }, call) => {
          uniqueNumber(number);
          knownDepartments(codes);
          const secretHash = await kdfQueue.run(call.terminal, 'new person', () => hashSecret(secret, kdf));
          return transaction(() => {
            stillAdministers(call.actor);
            uniqueNumber(number);
            const now = clock();
            const created = db
              .insert(users)
              .values({ name, number, role, departmentsJson: JSON.stringify(codes), active: true, secretHash, createdAt: now, updatedAt: now })
              .returning()
              .get();
            recordChange({ entity: 'user', entityId: String(created.id), action: 'created', after: audit(created) }, call.actor);
            return userOf(created);
          });
        },

        'users.update': ({ id, name, number, role, departments: codes }, call) =>
          transaction(() => {
            const row = rows.get(id);
            uniqueNumber(number, id);
            knownDepartments(codes);
            if (role !== 'admin') keepAnAdmin(row, `made ${role}`);
            const now = clock();
            const updated = db
              .update(users)
              // A recovery code is an administrator's: it goes with the role.
              .set({ name, number, role, departmentsJson: JSON.stringify(codes), updatedAt: now, ...(role === 'admin' ? {} : { recoveryHash: null }) })
              .where(eq(users.id, id))
              .returning()
              .get();
            recordChange({ entity: 'user', entityId: String(id), action: 'updated', before: audit(row), after: audit(updated) }, call.actor);
            return userOf(updated);
          }),

        'users.activity': () => null,

        'users.changeOwnSecret': async ({ current, secret }, call) => {
          const row = rowOfActor(call.actor);
          if (!row?.active) throw new AppError('FORBIDDEN', 'Sign in first to change your PIN or password.');
          // From now on their signatures take the full check, queued behind the new PIN's hash.
          sessions.forgetVerifiers(row.id);
          await checks.check(row, current, call, 'secret-change');
          const secretHash = await kdfQueue.run(call.terminal, `user:${row.id}`, () => hashSecret(secret, kdf));
          return transaction(() => {
            const now = clock();
            // Only if nobody changed it meanwhile (an admin's reset, another terminal).
            const changed = db
              .update(users)
              .set({ secretHash, updatedAt: now })
              .where(and(eq(users.id, row.id), eq(users.secretHash, row.secretHash)))
              .run().changes;
            if (!changed) throw new AppError('STALE_VERSION', 'Your PIN or password was changed meanwhile (by an administrator or at another terminal); nothing was changed.');
            recordChange({ entity: 'user', entityId: String(row.id), action: 'secret-changed', after: { by: 'themselves' } }, toActor(row));
            // Whoever may have signed in elsewhere with the old one is signed out.
            sessions.endAllOf(row.id, call.session);
            return sessionState(call.session);
          });
        },

        'users.resetSecret': async ({ id, secret }, call) => {
          rows.get(id);
          // An approval signed with the old PIN from now on waits behind the new hash and is refused.
          sessions.forgetVerifiers(id);
          const secretHash = await kdfQueue.run(call.terminal, `user:${id}`, () => hashSecret(secret, kdf));
          return transaction(() => {
            stillAdministers(call.actor);
            rows.get(id);
            const now = clock();
            const updated = db.update(users).set({ secretHash, updatedAt: now }).where(eq(users.id, id)).returning().get();
            // A new PIN lifts every lockout of the person, and signs out whoever used the old one.
            limits.clearPerson(id);
            sessions.endAllOf(id);
            recordChange({ entity: 'user', entityId: String(id), action: 'secret-reset' }, call.actor);
            return userOf(updated);
          });
        },

        'users.unlock': ({ id }, call) =>
          transaction(() => {
            const row = rows.get(id);
            const locks = limits.locksOf(id);
            if (!locks.everywhere && locks.atTerminals.length === 0) {
              throw new AppError('INVALID_TRANSITION', `${row.name} is not locked out.`, { id });
            }
            limits.clearPerson(id);
            recordChange(
              {
                entity: 'user',
                entityId: String(id),
                action: 'unlocked',
                before: { everywhere: locks.everywhere ? iso(locks.everywhere.until) : null, terminals: locks.atTerminals.map((l) => ({ terminal: l.key, until: iso(l.until) })) },
              },
              call.actor,
            );
            return userOf(row);
          }),

        'users.lockedTerminals': () => terminalLocks(),

        'users.unlockTerminal': ({ terminal: key }, call) =>
          transaction(() => {
            const lock = limits.lockedTerminals().find((l) => l.key === key);
            if (!lock) throw new AppError('INVALID_TRANSITION', `The terminal ${key} is not refusing sign-ins.`, { terminal: key });
            limits.clearTerminal(key);
            recordChange({ entity: 'terminal', entityId: key, action: 'unlocked', before: { until: iso(lock.until), failures: lock.failures } }, call.actor);
            return terminalLocks();
          }),

        'users.setActive': ({ id, active }, call) =>
          transaction(() => {
            const row = rows.get(id);
            if (row.active === active) throw new AppError('INVALID_TRANSITION', `${row.name} is already ${active ? 'active' : 'inactive'}.`, { id });
            if (!active) keepAnAdmin(row, 'deactivated');
            const now = clock();
            const updated = db.update(users).set({ active, updatedAt: now }).where(eq(users.id, id)).returning().get();
            recordChange({ entity: 'user', entityId: String(id), action: active ? 'reactivated' : 'deactivated', before: audit(row), after: audit(updated) }, call.actor);
            if (!active) sessions.endAllOf(id);
            return userOf(updated);
          }),

        'users.signatures': ({ itemId }) =>
          db
            .select()
            .from(signatures)
            .where(eq(signatures.itemId, itemId))
            .orderBy(asc(signatures.eventSeq))
            .all()
            .map(
              (r): Signature => ({
                id: r.id,
                itemId: r.itemId,
                eventSeq: r.eventSeq,
                action: r.action,
                meaning: r.meaning,
                signer: { id: r.signerId, name: r.signerName, number: r.signerNumber, role: r.signerRole },
                department: r.department,
                signedAt: iso(r.signedAt),
              }),
            ),
      },
    };
  },
});
