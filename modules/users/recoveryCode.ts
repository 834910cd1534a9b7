import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * An administrator's one-time recovery code: 20 characters of Crockford's base32 (100 random bits)
 * in groups of five, e.g. "7KQ2M-9XH4T-PZ3WD-6RNVB". Far too many to guess, so a SHA-256 of it is
 * kept (no slow KDF needed); it is shown once, when made.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 20;

export function newRecoveryCode(): string {
  const chars = Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join('')).join('-');
}

/** As typed: any case, spaces and dashes ignored, and the letters people confuse with digits read as them. */
export function normalizeRecoveryCode(typed: string): string {
  return typed
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

export const hashRecoveryCode = (code: string) => createHash('sha256').update(normalizeRecoveryCode(code)).digest('hex');

export function recoveryCodeMatches(typed: string, storedHash: string | null): boolean {
  const typedHash = Buffer.from(hashRecoveryCode(typed), 'hex');
  // Compared in constant time against a stand-in when there is none, so the answer takes as long.
  const stored = Buffer.from(storedHash ?? '0'.repeat(64), 'hex');
  return stored.length === typedHash.length && timingSafeEqual(typedHash, stored) && storedHash !== null;
}
