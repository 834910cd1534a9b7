import { describe, expect, it } from 'vitest';
import { AttemptLines, type Turn } from '../attemptLines';
import { tooManyAtOnce } from '../secretChecks';

/** The per-person line of attempts (attemptLines.ts); concurrentAttempts.test.ts runs it in the app. */
const settle = () => new Promise((r) => setTimeout(r, 0));

function jobs() {
  const log: string[] = [];
  const releases = new Map<string, (right: boolean) => void>();
  const job = (name: string) => (turn: Turn) =>
    new Promise<string>((resolve, reject) => {
      log.push(name);
      releases.set(name, (right) => {
        if (right) resolve(name);
        else {
          turn.wrong([`person ${name[0]}`]);
          reject(new Error(`${name} wrong`));
        }
      });
    });
  return { log, job, release: (name: string, right = true) => releases.get(name)!(right) };
}

describe('attempts in line per person', () => {
  it("runs one person's attempts one at a time, in the order they came, and another person's beside them", async () => {
    const lines = new AttemptLines();
    const { log, job, release } = jobs();
    const tooLong = () => new Error('too long');
    const done = [lines.run(1, job('a1'), tooLong), lines.run(1, job('a2'), tooLong), lines.run(2, job('b1'), tooLong), lines.run(1, job('a3'), tooLong)];
    // The first of each person starts at once (in the same turn of the event loop).
    expect(log).toEqual(['a1', 'b1']);
    release('a1');
    await settle();
    expect(log).toEqual(['a1', 'b1', 'a2']);
    release('a2');
    await settle();
    release('a3');
    release('b1');
    expect(await Promise.all(done)).toEqual(['a1', 'a2', 'b1', 'a3']);
    expect(lines.waitingFor(1)).toBe(0);
  });

  it('refuses an attempt that waited too long, unchecked, and the line goes on', async () => {
    const lines = new AttemptLines(50);
    const { log, job, release } = jobs();
    const first = lines.run(1, job('a1'), () => tooManyAtOnce('Quinn Inspector', 'signature'));
    const second = lines.run(1, job('a2'), () => tooManyAtOnce('Quinn Inspector', 'signature'));
    const other = lines.run(2, job('b1'), () => new Error('too long'));
    await expect(second).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'Too many PIN or password attempts at once for Quinn Inspector: this one was not checked and nothing was signed. Try again.',
    });
    expect(log).toEqual(['a1', 'b1']); // a2 never ran
    expect(lines.waitingFor(1)).toBe(0);
    release('b1');
    expect(await other).toBe('b1');
    const third = lines.run(1, job('a3'), () => new Error('too long'));
    release('a1');
    await settle();
    release('a3');
    expect(await Promise.all([first, third])).toEqual(['a1', 'a3']);
  });

  it('tells the attempts waiting in line which wrong ones were settled meanwhile', async () => {
    const lines = new AttemptLines();
    const { job, release } = jobs();
    const seen: Turn['wrongMeanwhile'][] = [];
    const watching = (turn: Turn) => {
      seen.push(new Map(turn.wrongMeanwhile));
      return Promise.resolve('seen');
    };
    const wrong = lines.run(1, job('a1'), () => new Error('too long')).catch((e: Error) => e.message);
    const behind = lines.run(1, watching, () => new Error('too long'));
    release('a1', false);
    expect(await wrong).toBe('a1 wrong');
    expect(await behind).toBe('seen');
    expect(seen).toEqual([new Map([['person a', 1]])]);
    // An attempt that did not wait was told of nothing.
    await lines.run(1, watching, () => new Error('too long'));
    expect(seen[1]).toEqual(new Map());
  });
});
