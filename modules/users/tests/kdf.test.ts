import { describe, expect, it } from 'vitest';
import { DEFAULT_KDF, hashSecret, needsRehash, parseHash, verifySecret, verifySecretSync } from '../kdf';

describe('PIN and password hashing (scrypt)', () => {
  it('never keeps the secret, salts every hash, and stores its parameters with it', async () => {
    const a = await hashSecret('482916');
    const b = await hashSecret('482916');
    expect(a).not.toContain('482916');
    expect(a).not.toBe(b); // a random salt per hash
    expect(a).toMatch(/^\$scrypt\$ln=16,r=8,p=1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(parseHash(a)?.params).toEqual(DEFAULT_KDF);
    expect(parseHash(a)?.salt).not.toEqual(parseHash(b)?.salt);
  });

  it('verifies the right secret and refuses a wrong one, with or without waiting', async () => {
    const stored = await hashSecret('correct horse', { ln: 14, r: 8, p: 1 });
    expect(await verifySecret('correct horse', stored)).toBe(true);
    expect(await verifySecret('correct hors', stored)).toBe(false);
    expect(await verifySecret('Correct horse', stored)).toBe(false);
    expect(verifySecretSync('correct horse', stored)).toBe(true);
    expect(verifySecretSync('wrong', stored)).toBe(false);
    expect(await verifySecret('correct horse', 'not a hash')).toBe(false);
  });

  it('says when a stored hash is cheaper than the current parameters', async () => {
    const cheap = await hashSecret('482916', { ln: 14, r: 8, p: 1 });
    expect(needsRehash(cheap, DEFAULT_KDF)).toBe(true);
    expect(needsRehash(cheap, { ln: 14, r: 8, p: 1 })).toBe(false);
  });
});
