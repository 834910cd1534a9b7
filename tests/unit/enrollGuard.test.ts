import { describe, expect, it } from 'vitest';
import { enrollGuard } from '../../src/server/enrollGuard';

describe('enrollment guessing guard', () => {
  it('stops an address after ten wrong codes for ten minutes, and only that address', () => {
    let now = 0;
    const guard = enrollGuard(() => now);
    for (let n = 0; n < 10; n++) {
      expect(guard.waitFor('10.0.0.5')).toBe(0);
      guard.failed('10.0.0.5');
    }
    expect(guard.waitFor('10.0.0.5')).toBe(600);
    expect(guard.waitFor('10.0.0.6')).toBe(0);
    now += 9 * 60_000;
    expect(guard.waitFor('10.0.0.5')).toBe(60);
    now += 60_000;
    expect(guard.waitFor('10.0.0.5')).toBe(0);
  });

  it('cannot be made to block everyone: many addresses with nine wrong codes each block nobody else', () => {
    const guard = enrollGuard(() => 0);
    for (let a = 0; a < 50; a++) for (let n = 0; n < 9; n++) guard.failed(`10.1.0.${a}`);
    expect(guard.waitFor('10.9.9.9')).toBe(0);
  });
});
