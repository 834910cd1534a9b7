import { describe, expect, it } from 'vitest';
import { DEFAULT_KDF, hashSecret, needsRehash, parseHash, verifySecret } from '../kdf';
import { KdfQueue } from '../kdfQueue';

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

  it('verifies the right secret and refuses a wrong one, off the main thread', async () => {
    const stored = await hashSecret('correct horse', { ln: 14, r: 8, p: 1 });
    expect(await verifySecret('correct horse', stored)).toBe(true);
    expect(await verifySecret('correct hors', stored)).toBe(false);
    expect(await verifySecret('Correct horse', stored)).toBe(false);
    expect(await verifySecret('correct horse', 'not a hash')).toBe(false);
  });

  it('says when a stored hash is cheaper than the current parameters', async () => {
    const cheap = await hashSecret('482916', { ln: 14, r: 8, p: 1 });
    expect(needsRehash(cheap, DEFAULT_KDF)).toBe(true);
    expect(needsRehash(cheap, { ln: 14, r: 8, p: 1 })).toBe(false);
  });

  it('runs checks a few at a time, one at a time per person, taking turns between terminals', async () => {
    const queue = new KdfQueue(2);
    const log: string[] = [];
    const releases = new Map<string, () => void>();
    const job = (name: string) => () =>
      new Promise<string>((resolve) => {
        log.push(name);
        releases.set(name, () => resolve(name));
      });
    const settle = () => new Promise((r) => setTimeout(r, 0));
    // Terminal X guesses at a three times and at q once; Sam signs in at terminal Y.
    const done = [
      ...['a1', 'a2', 'a3'].map((n) => queue.run('X', 'a', job(n))),
      queue.run('X', 'q', job('q1')),
      queue.run('Y', 'sam', job('sam')),
    ];
    await settle();
    // Two slots: a's first, then q's (a's others wait for a's first, whatever the order they came in).
    expect(log).toEqual(['a1', 'q1']);
    releases.get('a1')!();
    await settle();
    // The freed slot goes to Y, which has not had a turn, before X's next.
    expect(log.at(-1)).toBe('sam');
    for (const name of ['q1', 'sam', 'a2']) {
      releases.get(name)!();
      await settle();
    }
    releases.get('a3')!();
    expect(await Promise.all(done)).toEqual(['a1', 'a2', 'a3', 'q1', 'sam']);
    expect(log).toEqual(['a1', 'q1', 'sam', 'a2', 'a3']);
  });
});
