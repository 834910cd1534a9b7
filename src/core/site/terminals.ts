import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { AppError } from '../../shared/errors';
import type { Actor } from '../../shared/types';
import type { TerminalInfo } from '../../shared/siteContract';
import type { Db } from '../db/connection';
import { siteEnrollmentCodes, siteTerminals } from '../db/schema';
import type { ChangeRecord } from '../modules/types';

/** An enrollment code is good for a day, once. */
export const ENROLLMENT_CODE_HOURS = 24;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** 12 characters of Crockford's base32 (60 random bits), shown as XXXX-XXXX-XXXX. */
function newEnrollmentCode(): string {
  const chars = Array.from({ length: 12 }, () => CROCKFORD[randomInt(32)]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

/** What a person typed, in the code's own form: case, spaces and dashes do not matter; O is 0, I and L are 1. */
export function normalizeEnrollmentCode(typed: string): string {
  const chars = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return chars.length === 12 ? `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}` : chars;
}

export interface EnrolledTerminal {
  terminalId: string;
  /** `<terminal id>.<secret>`: what the terminal sends with every request. Shown once. */
  credential: string;
}

interface Deps {
  db: Db;
  clock: () => number;
  transaction: <T>(fn: () => T) => T;
  recordChange: (change: ChangeRecord, actor: Actor) => void;
}

const CONSOLE: Actor = { id: 'system:server-console', name: 'Server console' };

/**
 * The terminals a site server serves: one-time enrollment codes, each terminal's credential (kept
 * as SHA-256), last seen, revocation. Every enrollment, code and revocation is on record.
 */
export function terminalRegistry({ db, clock, transaction, recordChange }: Deps) {
  // Asked on every request a terminal makes: built once.
  const byId = db.select().from(siteTerminals).where(eq(siteTerminals.id, sql.placeholder('id'))).prepare();
  const rowOf = (id: string) => byId.get({ id });
  /** What seen() last wrote or found per terminal, so most requests need no look-up for it. */
  const lastNoted = new Map<string, { at: number; appVersion: string | null; address: string | null }>();
  const noteOf = (row: ReturnType<typeof rowOf>) => (row?.lastSeenAt != null ? { at: row.lastSeenAt, appVersion: row.appVersion, address: row.address } : undefined);
  return {
    createEnrollmentCode(actor: Actor = CONSOLE): { code: string; expiresAt: string } {
      const code = newEnrollmentCode();
      const now = clock();
      const expiresAt = now + ENROLLMENT_CODE_HOURS * 3_600_000;
      transaction(() => {
        db.insert(siteEnrollmentCodes).values({ codeHash: sha256(code), createdAt: now, createdBy: actor.id, expiresAt }).run();
        recordChange({ entity: 'terminal', entityId: 'enrollment-code', action: 'enrollment-code-created', after: { expiresAt: new Date(expiresAt).toISOString() } }, actor);
      });
      return { code, expiresAt: new Date(expiresAt).toISOString() };
    },

    /** Uses a code once: a terminal named `name` gets its credential. A wrong, used or expired code changes nothing. */
    enroll(typedCode: string, name: string, appVersion: string, address: string): EnrolledTerminal {
      const codeHash = sha256(normalizeEnrollmentCode(typedCode));
      const terminalId = `t_${randomBytes(9).toString('base64url')}`;
      const secret = randomBytes(32).toString('base64url');
      const now = clock();
      transaction(() => {
        const code = db.select().from(siteEnrollmentCodes).where(eq(siteEnrollmentCodes.codeHash, codeHash)).get();
        if (!code || code.usedAt !== null || code.expiresAt <= now) {
          throw new AppError('FORBIDDEN', 'This enrollment code is not valid: it is wrong, used already or expired. Ask an administrator for a new one.');
        }
        const used = db
          .update(siteEnrollmentCodes)
          .set({ usedAt: now, usedBy: terminalId })
          .where(and(eq(siteEnrollmentCodes.codeHash, codeHash), isNull(siteEnrollmentCodes.usedAt)))
          .run();
        if (used.changes !== 1) throw new AppError('FORBIDDEN', 'This enrollment code was used already.');
        db.insert(siteTerminals).values({ id: terminalId, name, credentialHash: sha256(secret), enrolledAt: now, enrolledBy: code.createdBy, lastSeenAt: now, appVersion, address }).run();
        recordChange({ entity: 'terminal', entityId: terminalId, action: 'enrolled', after: { name, appVersion, address } }, { id: `terminal:${terminalId}`, name });
      });
      return { terminalId, credential: `${terminalId}.${secret}` };
    },

    /** The terminal a credential belongs to, or null (unknown, wrong secret or revoked). */
    authenticate(credential: string | undefined): string | null {
      if (!credential) return null;
      const dot = credential.indexOf('.');
      if (dot < 1 || credential.length > 200) return null;
      const row = rowOf(credential.slice(0, dot));
      if (!row || row.revokedAt !== null) return null;
      const given = Buffer.from(sha256(credential.slice(dot + 1)), 'hex');
      const kept = Buffer.from(row.credentialHash, 'hex');
      return given.length === kept.length && timingSafeEqual(given, kept) ? row.id : null;
    },

    /** Notes when and how a terminal was last heard from (written at most once a minute per terminal). */
    seen(terminalId: string, appVersion: string, address: string): void {
      const now = clock();
      const last = lastNoted.get(terminalId) ?? noteOf(rowOf(terminalId));
      if (last && now - last.at < 60_000 && last.appVersion === appVersion && last.address === address) {
        lastNoted.set(terminalId, last);
        return;
      }
      db.update(siteTerminals).set({ lastSeenAt: now, appVersion, address }).where(eq(siteTerminals.id, terminalId)).run();
      lastNoted.set(terminalId, { at: now, appVersion, address });
    },

    name: (terminalId: string): string | undefined => rowOf(terminalId)?.name,

    /** Enrolled and not revoked. */
    active: (terminalId: string): boolean => {
      const row = rowOf(terminalId);
      return row !== undefined && row.revokedAt === null;
    },

    revoke(terminalId: string, actor: Actor): void {
      transaction(() => {
        const row = rowOf(terminalId);
        if (!row) throw new AppError('NOT_FOUND', `There is no terminal "${terminalId}".`);
        if (row.revokedAt !== null) throw new AppError('INVALID_TRANSITION', `Terminal "${row.name}" was revoked already.`);
        db.update(siteTerminals).set({ revokedAt: clock(), revokedBy: actor.id }).where(eq(siteTerminals.id, terminalId)).run();
        recordChange({ entity: 'terminal', entityId: terminalId, action: 'revoked', before: { name: row.name } }, actor);
      });
    },

    list(signedIn: (terminalId: string) => string[]): TerminalInfo[] {
      const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
      return db
        .select()
        .from(siteTerminals)
        .all()
        .map((row) => ({
          id: row.id,
          name: row.name,
          enrolledAt: new Date(row.enrolledAt).toISOString(),
          lastSeenAt: iso(row.lastSeenAt),
          appVersion: row.appVersion,
          address: row.address,
          revokedAt: iso(row.revokedAt),
          signedIn: row.revokedAt === null ? signedIn(row.id) : [],
        }))
        .sort((a, b) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null) || a.name.localeCompare(b.name));
    },
  };
}
export type TerminalRegistry = ReturnType<typeof terminalRegistry>;
