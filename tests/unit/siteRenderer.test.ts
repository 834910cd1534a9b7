import { describe, expect, it } from 'vitest';
import type { AppStatus } from '../../src/shared/types';
import type { TerminalState } from '../../src/shared/terminalContract';
import { fingerprintGroups } from '../../src/renderer/src/fingerprintGroups';
import { touches } from '../../src/renderer/src/stores/changes';
import { arrivalsFor, departmentsToNotify } from '../../src/renderer/src/notifications/arrivals';
import { readOnlyReason } from '../../src/renderer/src/stores/readOnly';

/** The renderer's site-mode decisions that need no page: which views re-read, whose turn it is, when it is read-only. */
describe('touches', () => {
  it('re-reads an item view only for its own item, or when a change cannot say', () => {
    expect(touches([3], [3])).toBe(true);
    expect(touches([4, 3], [3])).toBe(true);
    expect(touches([4], [3])).toBe(false);
    expect(touches([], [3])).toBe(true);
  });
});

describe('fingerprintGroups', () => {
  it('splits 32 hex pairs into 8 groups of 4', () => {
    const fp = Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0').toUpperCase()).join(':');
    const groups = fingerprintGroups(fp);
    expect(groups).toHaveLength(8);
    expect(groups[0]).toBe('00:01:02:03');
    expect(groups.join(':')).toBe(fp);
  });
  it('leaves anything else as it is', () => expect(fingerprintGroups('not a fingerprint')).toEqual(['not a fingerprint']));
});

describe('whose turn an arrival is', () => {
  const status = (departments?: string[]) => ({ actor: { id: 'p1', name: 'Q', ...(departments ? { departments } : {}) } }) as unknown as AppStatus;
  const arrival = (step: string) => ({ itemId: 1, title: 'x', priority: 'normal' as const, step });

  it('uses the signed-in person’s departments, else the terminal’s choice', () => {
    expect(departmentsToNotify(status(['Quality Control']), ['Stores'])).toEqual(['Quality Control']);
    expect(departmentsToNotify(status([]), ['Stores'])).toEqual(['Stores']);
    expect(departmentsToNotify(status(), ['Stores'])).toEqual(['Stores']);
    expect(departmentsToNotify(null, [])).toEqual([]);
  });
  it('keeps only arrivals at those departments', () => {
    expect(arrivalsFor([arrival('Quality Control'), arrival('Stores')], ['Quality Control']).map((a) => a.step)).toEqual(['Quality Control']);
    expect(arrivalsFor([arrival('Stores')], [])).toEqual([]);
  });
});

describe('readOnlyReason', () => {
  const state = (over: Partial<TerminalState>): TerminalState => ({
    mode: 'site', enrolled: true, server: 'https://s:8443', terminalId: 't_1', name: 'QC', caFingerprint: null, connection: 'connected', since: new Date().toISOString(), problem: null, appVersion: '0.1.0', ...over,
  });
  it('is read-only only while the site server is unreachable or refuses', () => {
    expect(readOnlyReason(null)).toBeNull();
    expect(readOnlyReason(state({ mode: 'standalone' }))).toBeNull();
    expect(readOnlyReason(state({}))).toBeNull();
    expect(readOnlyReason(state({ connection: 'connecting' }))).toBeNull();
    expect(readOnlyReason(state({ connection: 'unreachable' }))).toMatch(/cannot be reached/);
    expect(readOnlyReason(state({ connection: 'refused', problem: 'This terminal was revoked.' }))).toBe('This terminal was revoked.');
  });
});
