import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSoon, SOON_DELAY_MS } from '../../src/core/modules/soon';

afterEach(() => vi.useRealTimers());

describe('ctx.soon (deferred module work)', () => {
  it('runs a job once after the delay, however often it was asked for meanwhile', () => {
    vi.useFakeTimers();
    const soon = createSoon(() => {});
    const job = vi.fn();
    for (let i = 0; i < 50; i++) soon.soon(job);
    vi.advanceTimersByTime(SOON_DELAY_MS - 1);
    expect(job).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(job).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10 * SOON_DELAY_MS);
    expect(job).toHaveBeenCalledTimes(1);
    soon.soon(job);
    vi.advanceTimersByTime(SOON_DELAY_MS);
    expect(job).toHaveBeenCalledTimes(2);
  });

  it('withinMs lets a job wait longer: it runs once, at the latest then, sooner if asked without it, and drain runs it', () => {
    vi.useFakeTimers();
    const soon = createSoon(() => {});
    const job = vi.fn();
    soon.soon(job, { withinMs: 5_000 });
    vi.advanceTimersByTime(4_000);
    soon.soon(job, { withinMs: 5_000 }); // asking again does not push it back
    vi.advanceTimersByTime(999);
    expect(job).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1 + SOON_DELAY_MS);
    expect(job).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10_000);
    expect(job).toHaveBeenCalledTimes(1);

    soon.soon(job, { withinMs: 5_000 });
    soon.soon(job);
    vi.advanceTimersByTime(SOON_DELAY_MS);
    expect(job).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(10_000);
    expect(job).toHaveBeenCalledTimes(2);

    soon.soon(job, { withinMs: 60_000 });
    soon.drain();
    expect(job).toHaveBeenCalledTimes(3);
    vi.advanceTimersByTime(120_000);
    expect(job).toHaveBeenCalledTimes(3);
  });

  it('runs one job per turn of the event loop, so a call arriving meanwhile waits for one job at most', async () => {
    const soon = createSoon(() => {});
    const order: string[] = [];
    const done = new Promise<void>((resolve) => {
      soon.soon(() => {
        order.push('first');
        // Stands for an IPC call that arrives while the first job runs.
        setImmediate(() => order.push('a call'));
      });
      soon.soon(() => {
        order.push('second');
        resolve();
      });
    });
    await done;
    expect(order).toEqual(['first', 'a call', 'second']);
  });

  it('a job that fails is logged and the others still run; asked for again, it runs again', () => {
    vi.useFakeTimers();
    const logged: string[] = [];
    const soon = createSoon((m) => logged.push(m));
    const failing = vi.fn(() => {
      throw new Error('disk full');
    });
    const other = vi.fn();
    soon.soon(failing);
    soon.soon(other);
    vi.runAllTimers();
    expect(other).toHaveBeenCalledTimes(1);
    expect(logged).toEqual([expect.stringContaining('disk full')]);
    soon.soon(failing);
    vi.advanceTimersByTime(SOON_DELAY_MS);
    expect(failing).toHaveBeenCalledTimes(2);
  });

  it('drain runs what waits and what it asks for again, until nothing is left, without waiting for the timer', () => {
    vi.useFakeTimers();
    const soon = createSoon(() => {});
    let left = 5;
    const batch = vi.fn(() => {
      left--;
      if (left > 0) soon.soon(batch);
    });
    soon.soon(batch);
    soon.drain();
    expect(batch).toHaveBeenCalledTimes(5);
    expect(left).toBe(0);
    vi.advanceTimersByTime(10 * SOON_DELAY_MS);
    expect(batch).toHaveBeenCalledTimes(5);
  });
});
