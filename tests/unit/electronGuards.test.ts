import { describe, expect, it, vi } from 'vitest';
import { decideWindowOpen, FOREIGN_SENDER_REFUSAL, guardIpc } from '../../src/main/security';

const page = 'app://aviation-workflow/index.html';

describe('window.open from a page', () => {
  const base = { settingsOpen: false, mayOpenSettings: true };

  it('opens the settings window for an administrator, once', () => {
    expect(decideWindowOpen(`${page}#/settings`, base)).toBe('open-settings');
    expect(decideWindowOpen(`${page}#/settings/departments`, { ...base, settingsOpen: true })).toBe('focus-existing');
  });

  it('refuses the settings window to anyone who may not administer', () => {
    expect(decideWindowOpen(`${page}#/settings`, { ...base, mayOpenSettings: false })).toBe('deny');
  });

  it('refuses every other window: other app pages, other origins, other schemes', () => {
    for (const url of [`${page}#/reports`, 'https://example.com/#/settings', 'file:///etc/passwd#/settings', 'file:///opt/aviation-workflow/resources/app.asar/out/renderer/index.html#/settings', 'app://evil/index.html#/settings', 'javascript:alert(1)', 'data:text/html,<h1>x', 'about:blank']) {
      expect(decideWindowOpen(url, base), url).toBe('deny');
    }
  });

  it('in development, allows only the dev server origin', () => {
    const dev = { ...base, devServerUrl: 'http://localhost:5173' };
    expect(decideWindowOpen('http://localhost:5173/#/settings', dev)).toBe('open-settings');
    expect(decideWindowOpen('http://localhost:5174/#/settings', dev)).toBe('deny');
  });
});

describe('IPC sender check', () => {
  it("runs the call for the app's own page", () => {
    const run = vi.fn(() => 'answered');
    expect(guardIpc(`${page}#/approvals`, {}, run)).toBe('answered');
    expect(run).toHaveBeenCalledOnce();
  });

  it('refuses, without calling the core, a frame that is not the app (an iframe elsewhere, a gone frame, a lookalike path)', () => {
    const run = vi.fn();
    for (const url of [
      undefined,
      'https://evil.example/',
      'file:///opt/aviation-workflow/resources/app.asar/out/renderer/index.html',
      'app://aviation-workflow-evil/index.html',
      'app://aviation-workflow/..%2f..%2fx.html',
      'devtools://devtools/bundled/inspector.html',
    ]) {
      expect(guardIpc(url, {}, run), String(url)).toEqual(FOREIGN_SENDER_REFUSAL);
    }
    expect(run).not.toHaveBeenCalled();
  });
});
