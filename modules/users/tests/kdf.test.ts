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

  it('runs checks a few at a time, one at a time per person, taking turns between people', async () => {
    const queue = new KdfQueue(2);
    const log: string[] = [];
    const releases = new Map<string, () => void>();
    const job = (name: string) => () =>
      new Promise<string>((resolve) => {
        log.push(`start ${name}`);
        releases.set(name, () => resolve(name));
      });
    const done = [
      ...['a1', 'a2', 'a3'].map((n) => queue.run('a', job(n))),
      ...['b1', 'b2'].map((n) => queue.run('b', job(n))),
      queue.run('c', job('c1')),
    ];
    await Promise.resolve();
    // Two slots: a's first and b's first; a's others wait for a's first, whatever the order they came in.
    expect(log).toEqual(['start a1', 'start b1']);
    releases.get('a1')!();
    await new Promise((r) => setTimeout(r, 0));
    // The freed slot goes to c, who has not had a turn yet, before a's second.
    expect(log.at(-1)).toBe('start c1');
    for (const name of ['b1', 'c1', 'a2', 'b2', 'a3']) {
      releases.get(name)!();
      await new Promise((r) => setTimeout(r, 0));
    }
    expect(await Promise.all(done)).toEqual(['a1', 'a2', 'a3', 'b1', 'b2', 'c1']);
    expect(log).toEqual(['start a1', 'start b1', 'start c1', 'start a2', 'start b2', 'start a3']);
  });
});
