import { z } from 'zod';
import { adminCommand, adminQuery, command, query, secretAnswer } from '../../src/shared/channel';
import { departmentCodesField, newSecretField, numberField, ROLES, secretField, userNameField, type Role } from './rules';

export type { Role } from './rules';

/** A person as administrators see them (never their PIN or its hash). */
export interface User {
  id: number;
  name: string;
  number: string;
  role: Role;
  /** Department codes. */
  departments: string[];
  active: boolean;
  /** Locked at every terminal after too many wrong PINs until then (ISO), or null. */
  lockedUntil: string | null;
  /** Locked at single terminals (the guesses came from there), until then. */
  lockedAt: { terminal: string; until: string }[];
  /** An administrator holds a one-time recovery code. */
  hasRecoveryCode: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A terminal refusing sign-ins after too many wrong ones there. */
export interface TerminalLock {
  terminal: string;
  until: string;
  failures: number;
}

/** What a signed-out terminal may see to pick a person: name and number only. */
export interface DirectoryEntry {
  id: number;
  name: string;
  number: string;
}

/**
 * This terminal: nobody exists yet (setup), nobody signed in, someone's screen locked (idle,
 * Lock, or after a restart of the screen), or someone working.
 */
export interface SessionState {
  state: 'setup' | 'signed-out' | 'locked' | 'signed-in';
  /** Who is signed in, or whose screen is locked. */
  user: DirectoryEntry | null;
  /** The screen locks after this long without use (also enforced by the core). */
  idleLockMinutes: number;
  secretRule: string;
}

/** One e-signature: who signed, with what authority, when, and what it meant. */
export interface Signature {
  id: number;
  itemId: number;
  eventSeq: number;
  action: 'submit' | 'approve' | 'reject' | 'cancel';
  meaning: string;
  signer: { id: string; name: string; number: string; role: string };
  department: string;
  signedAt: string;
}

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const role = z.enum(ROLES, { message: 'Choose a role: staff, lead or admin' });

const signInInput = z
  .strictObject({ userId: id.optional(), number: numberField.optional(), secret: secretField })
  .refine((v) => (v.userId === undefined) !== (v.number === undefined), {
    message: 'Pick your name or type your number',
    path: ['number'],
  });

const recoveryInput = z
  .strictObject({
    userId: id.optional(),
    number: numberField.optional(),
    code: z.string().trim().min(1, 'Enter the recovery code').max(60, 'That is longer than a recovery code'),
  })
  .refine((v) => (v.userId === undefined) !== (v.number === undefined), {
    message: 'Pick your name or type your number',
    path: ['number'],
  });

/** The first administrator's set-up and a recovery-code sign-in also hand over a new one-time recovery code, shown once. */
export type SessionWithRecoveryCode = SessionState & { recoveryCode: string };

export const usersContract = {
  /** Public: what this terminal should show (set-up, sign-in, lock screen or the app). */
  'users.sessionState': query<SessionState>()(z.strictObject({})),
  /** Public: active people to pick from at sign-in — names and numbers only. */
  'users.directory': query<DirectoryEntry[]>()(z.strictObject({ search: z.string().trim().max(100).optional() })),
  /** Public, and only while nobody exists: creates the first administrator and signs them in here. */
  'users.setupFirstAdmin': secretAnswer(
    command<SessionWithRecoveryCode>()(
      z
        .strictObject({ name: userNameField, number: numberField, secret: newSecretField, confirm: z.string().max(200) })
        .refine((v) => v.secret === v.confirm, { message: 'The two entries differ; type the same PIN or password twice', path: ['confirm'] }),
    ),
  ),
  /** Public: sign in here (or unlock, or switch user) with a PIN or password. */
  'users.signIn': command<SessionState>()(signInInput),
  /**
   * Public: an administrator locked out by guesses at their PIN signs in with their one-time
   * recovery code; it is used up, and the answer carries a new one to keep.
   */
  'users.signInWithRecoveryCode': secretAnswer(command<SessionWithRecoveryCode>()(recoveryInput)),
  /** Public: lock this terminal's screen; the same person unlocks with their PIN. */
  'users.lock': command<SessionState>()(z.strictObject({})),
  /** Public: sign out whoever is signed in (or locked) here. */
  'users.signOut': command<SessionState>()(z.strictObject({})),
  /**
   * The screen reports keyboard or pointer use (at most about once a minute). Only this and
   * changes keep a terminal from the idle lock; reads do not, since screens refresh on their own.
   * A query, though it counts as activity: it changes no data, so windows need not refresh after it.
   */
  'users.activity': query<null>()(z.strictObject({})),
  /** The signed-in person changes their own PIN or password, proving the current one. */
  'users.changeOwnSecret': command<SessionState>()(
    z
      .strictObject({ current: secretField, secret: newSecretField, confirm: z.string().max(200) })
      .refine((v) => v.secret === v.confirm, { message: 'The two entries differ; type the same new PIN or password twice', path: ['confirm'] })
      .refine((v) => v.secret !== v.current, { message: 'The new PIN or password must differ from the current one', path: ['secret'] }),
  ),

  /** An administrator replaces their recovery code (the old one stops working), proving their PIN or password. */
  'users.newRecoveryCode': secretAnswer(adminCommand<{ recoveryCode: string }>()(z.strictObject({ secret: secretField }))),

  /** Administrators only: everyone, with role, departments and lockout. */
  'users.list': query<User[]>()(z.strictObject({ includeInactive: z.boolean().default(true) })),
  'users.create': adminCommand<User>()(
    z.strictObject({ name: userNameField, number: numberField, role, departments: departmentCodesField.default([]), secret: newSecretField }),
  ),
  'users.update': adminCommand<User>()(
    z.strictObject({ id, name: userNameField, number: numberField, role, departments: departmentCodesField }),
  ),
  /** Terminals refusing sign-ins now (too many wrong ones there, for anybody). */
  'users.lockedTerminals': adminQuery<TerminalLock[]>()(z.strictObject({})),
  /** Lets a terminal take sign-ins again. */
  'users.unlockTerminal': adminCommand<TerminalLock[]>()(z.strictObject({ terminal: z.string().trim().min(1).max(200) })),
  /** Lifts every lockout of a person (at every terminal and at single ones) without changing the PIN. */
  'users.unlock': adminCommand<User>()(z.strictObject({ id })),
  /** Sets a new PIN or password and lifts a lockout. */
  'users.resetSecret': adminCommand<User>()(z.strictObject({ id, secret: newSecretField })),
  'users.setActive': adminCommand<User>()(z.strictObject({ id, active: z.boolean() })),

  /** The e-signatures on an item, oldest first. */
  'users.signatures': query<Signature[]>()(z.strictObject({ itemId: id })),
} as const;
