import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Known only to this process: a verifier means nothing outside it, and nothing of it is stored. */
const processKey = randomBytes(32);

/**
 * The PIN a person signed in with, as a keyed hash held in memory for their session only, so each
 * e-signature while they stay signed in is checked in microseconds instead of another scrypt run
 * (~180 ms of CPU: at a shift change the KDF, not the app, was what people waited for). Attempts
 * are still counted before every check and locked out the same way (secretChecks.ts); a sign-in,
 * an unlock or a PIN that changed since (another secretHash) takes the full scrypt check again.
 */
export interface SessionVerifier {
  /** The stored hash the PIN was checked against at sign-in: a new PIN makes this verifier void. */
  secretHash: string;
  mac: Buffer;
}

const macOf = (secretHash: string, secret: string) => createHmac('sha256', processKey).update(secretHash).update('\u0000').update(secret).digest();

export const sessionVerifier = (secret: string, secretHash: string): SessionVerifier => ({ secretHash, mac: macOf(secretHash, secret) });

/** True or false when the verifier can say; null when it cannot (the person's PIN changed since): check with scrypt. */
export function verifiedBySession(verifier: SessionVerifier | undefined, secret: string, currentHash: string): boolean | null {
  if (!verifier || verifier.secretHash !== currentHash) return null;
  return timingSafeEqual(macOf(currentHash, secret), verifier.mac);
}
