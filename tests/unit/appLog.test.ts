import { describe, expect, it } from 'vitest';
import { goneMessage, rendererErrorLine } from '../../src/main/appLog';

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
