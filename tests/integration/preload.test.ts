import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { coreContract } from '../../src/shared/contract';
import { siteContract } from '../../src/shared/siteContract';
import { terminalContract } from '../../src/shared/terminalContract';
import { discoveredModules } from '../../src/core/modules/discovered';
import { projectRoot } from '../support/tempApp';

/**
 * The built, sandboxed preload (out/preload/index.cjs) run against a stand-in for Electron's
 * contextBridge and ipcRenderer: it must expose exactly the typed API and the change event.
 */
function loadPreload() {
  const file = join(projectRoot, 'out', 'preload', 'index.cjs');
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first.`);
  const exposed = new Map<string, unknown>();
  const invoked: unknown[][] = [];
  const listeners = new Map<string, ((...args: unknown[]) => void)[]>();
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
    ipcRenderer: {
      invoke: (...args: unknown[]) => {
        invoked.push(args);
        return Promise.resolve({ ok: true, value: null });
      },
      on: (channel: string, listener: (...args: unknown[]) => void) => listeners.set(channel, [...(listeners.get(channel) ?? []), listener]),
      off: (channel: string, listener: (...args: unknown[]) => void) => listeners.set(channel, (listeners.get(channel) ?? []).filter((l) => l !== listener)),
    },
  };
  const required: string[] = [];
  const module = { exports: {} };
  runInNewContext(readFileSync(file, 'utf8'), {
    module,
    exports: module.exports,
    require: (name: string) => {
      required.push(name);
      if (name === 'electron') return electron;
      throw new Error(`the sandboxed preload may not require "${name}"`);
    },
  });
  return { exposed, invoked, listeners, required };
}

describe('preload', () => {
  it('requires nothing but electron (a sandboxed preload cannot)', () => {
    expect(new Set(loadPreload().required)).toEqual(new Set(['electron']));
  });

  it('exposes exactly window.api and window.appEvents', () => {
    expect([...loadPreload().exposed.keys()].sort()).toEqual(['api', 'appEvents']);
  });

  it("api holds one function per channel of the core, a site server, the terminal and every installed module, nothing else", () => {
    const api = loadPreload().exposed.get('api') as Record<string, unknown>;
    const expected = [
      ...Object.keys(coreContract),
      ...Object.keys(siteContract),
      ...Object.keys(terminalContract),
      ...discoveredModules.flatMap((m) => Object.keys(m.definition.contract ?? {})),
    ].sort();
    expect(Object.keys(api).sort()).toEqual(expected);
    for (const [name, fn] of Object.entries(api)) expect(typeof fn, name).toBe('function');
  });

  it('passes only the channel and the input to ipcRenderer.invoke (no event object, no ipcRenderer reaching the page)', async () => {
    const { exposed, invoked } = loadPreload();
    const api = exposed.get('api') as Record<string, (input: unknown) => Promise<unknown>>;
    await api['workItems.get']!({ id: 7 });
    expect(invoked).toEqual([['workItems.get', { id: 7 }]]);
    const events = exposed.get('appEvents') as Record<string, unknown>;
    expect(Object.keys(events)).toEqual(['onChanged']);
  });

  it('forwards change events as the event only (never the IPC event), and unsubscribes', () => {
    const { exposed, listeners } = loadPreload();
    const seen: unknown[] = [];
    const off = (exposed.get('appEvents') as { onChanged(l: (c: unknown) => void): () => void }).onChanged((c) => seen.push(c));
    const [channel, forward] = [...listeners.entries()][0]!;
    const change = { channel: 'workItems.approve', items: [7], arrivals: [] };
    forward![0]!({ sender: 'the IPC event must not reach the page' }, change);
    expect(seen).toEqual([change]);
    off();
    expect(listeners.get(channel)).toEqual([]);
  });
});
