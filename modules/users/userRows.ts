import { and, asc, count, eq, ne } from 'drizzle-orm';
import type { Db } from '../../src/core/db/connection';
import { AppError } from '../../src/shared/errors';
import type { Lock } from './attempts';
import type { DirectoryEntry, User } from './contract';
import type { Role } from './rules';
import { users } from './schema';

export type UserRow = typeof users.$inferSelect;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const codesOf = (row: UserRow): string[] => JSON.parse(row.departmentsJson) as string[];

export const toUser = (row: UserRow, locks: { everywhere: Lock | null; atTerminals: Lock[] }): User => ({
  id: row.id,
  name: row.name,
  number: row.number,
  role: row.role as Role,
  departments: codesOf(row),
  active: row.active,
  lockedUntil: locks.everywhere ? iso(locks.everywhere.until) : null,
  lockedAt: locks.atTerminals.map((l) => ({ terminal: l.key, until: iso(l.until)! })),
  hasRecoveryCode: row.recoveryHash !== null,
  createdAt: iso(row.createdAt)!,
  updatedAt: iso(row.updatedAt)!,
});

export const toEntry = (row: UserRow): DirectoryEntry => ({ id: row.id, name: row.name, number: row.number });

/** The actor id a person's transitions, comments and sign-offs carry. */
export const actorIdOf = (userId: number) => `user:${userId}`;
export const userIdOf = (actorId: string): number | null => {
  const match = /^user:(\d+)$/.exec(actorId);
  return match ? Number(match[1]) : null;
};

/** Reads of the users table. */
export class UserRows {
  constructor(private readonly db: Db) {}

  byId(id: number): UserRow | undefined {
    return this.db.select().from(users).where(eq(users.id, id)).get();
  }

  byNumber(number: string): UserRow | undefined {
    return this.db.select().from(users).where(eq(users.number, number)).get();
  }

  get(id: number): UserRow {
    const row = this.byId(id);
    if (!row) throw new AppError('NOT_FOUND', `There is no user #${id}; they may have been removed meanwhile.`, { id });
    return row;
  }

  all(): UserRow[] {
    return this.db.select().from(users).orderBy(asc(users.name), asc(users.id)).all();
  }

  any(): boolean {
    return (this.db.select({ n: count() }).from(users).get()?.n ?? 0) > 0;
  }

  /** Active administrators other than `exceptId`. */
  otherActiveAdmins(exceptId: number): number {
    return (
      this.db
        .select({ n: count() })
        .from(users)
        .where(and(eq(users.role, 'admin'), eq(users.active, true), ne(users.id, exceptId)))
        .get()?.n ?? 0
    );
  }
}
