import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goneMessage, rendererErrorLine, rotateLogFiles } from '../../src/main/appLog';

describe('the desktop log', () => {
  it('says why a window went away in words', () => {
    expect(goneMessage({ reason: 'oom', exitCode: 9 })).toBe("The window's page ran out of memory (exit code 9).");
    expect(goneMessage({ reason: 'something-new', exitCode: 1 })).toBe("The window's page stopped (something-new) (exit code 1).");
  });

  it('keeps renderer errors (both of Electron console-message shapes) and nothing else', () => {
    expect(rendererErrorLine('error', 'Boom', 'app://app/index.js', 12)).toBe('Renderer error: Boom (app://app/index.js:12)');
    expect(rendererErrorLine(3, 'Boom', '', 0)).toBe('Renderer error: Boom');
    expect(rendererErrorLine('warning', 'meh', '', 0)).toBeNull();
    expect(rendererErrorLine(1, 'info', '', 0)).toBeNull();
  });
});

describe('log rotation', () => {
  it('moves app.log to app.1.log, shifts the older ones and drops the oldest past the limit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aw-log-'));
    try {
      const file = join(dir, 'app.log');
      const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
      write('app.log', 'newest');
      write('app.1.log', 'one');
      write('app.2.log', 'two');
      write('app.3.log', 'three');
      rotateLogFiles(file, 3);
      expect(readdirSync(dir).sort()).toEqual(['app.1.log', 'app.2.log', 'app.3.log']);
      expect(readFileSync(join(dir, 'app.1.log'), 'utf8')).toBe('newest');
      expect(readFileSync(join(dir, 'app.3.log'), 'utf8')).toBe('two'); // "three" was the oldest past 3
      rotateLogFiles(file, 3); // nothing new written meanwhile: the rest still shift, nothing breaks
      expect(readdirSync(dir).sort()).toEqual(['app.2.log', 'app.3.log']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
