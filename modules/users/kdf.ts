import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * PINs and passwords are kept as scrypt hashes (memory-hard), each with its own random salt.
 * The stored string carries its parameters — "$scrypt$ln=16,r=8,p=1$<salt>$<hash>" (base64) —
 * so a later release can raise the cost and old hashes still verify (and are upgraded on sign-in).
 */
export interface KdfParams {
  /** log2 of scrypt's N (cost); 16 means N = 65536, 64 MiB with r = 8. */
  ln: number;
  r: number;
  p: number;
}

export const DEFAULT_KDF: KdfParams = { ln: 16, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

const options = ({ ln, r, p }: KdfParams): ScryptOptions => ({ N: 2 ** ln, r, p, maxmem: 2 ** ln * r * 128 * 2 });

const encode = (params: KdfParams, salt: Buffer, key: Buffer) =>
  `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;

interface Parsed {
  params: KdfParams;
  salt: Buffer;
  key: Buffer;
}

export function parseHash(stored: string): Parsed | null {
  const match = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(stored);
  if (!match) return null;
  const [, ln, r, p, salt, key] = match;
  return { params: { ln: Number(ln), r: Number(r), p: Number(p) }, salt: Buffer.from(salt!, 'base64'), key: Buffer.from(key!, 'base64') };
}

const derive = (secret: string, salt: Buffer, params: KdfParams, length: number) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(secret.normalize('NFKC'), salt, length, options(params), (error, key) => (error ? reject(error) : resolve(key))),
  );

/** Hashes off the main thread (libuv's pool), so the app keeps answering meanwhile. */
export async function hashSecret(secret: string, params: KdfParams = DEFAULT_KDF): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  return encode(params, salt, await derive(secret, salt, params, KEY_LENGTH));
}

const matches = (parsed: Parsed, key: Buffer) => key.length === parsed.key.length && timingSafeEqual(key, parsed.key);

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  return matches(parsed, await derive(secret, parsed.salt, parsed.params, parsed.key.length));
}

/** True when the stored hash is cheaper than `params` asks, so it should be re-hashed at the next good sign-in. */
export function needsRehash(stored: string, params: KdfParams): boolean {
  const parsed = parseHash(stored);
  return !parsed || parsed.params.ln < params.ln || parsed.params.r < params.r || parsed.params.p < params.p;
}
