import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SiteHost } from '../../src/core/app';
import { WINDOW_SESSION_DAYS } from '../../src/core/site/windowSessions';
import { sessionKeyOf, sessionRegistry, type SessionRegistry } from '../../src/server/sessions';
import { startApp, type TempApp } from '../support/tempApp';

/**
 * The site server's window sessions (src/server/sessions.ts) against a real core: answered from
 * memory, written through to the core's site_sessions table, read back after a restart; only
 * hashes are kept; bound to their terminal; 50 per terminal; ended with their terminal.
 */
const apps: TempApp[] = [];
const registries: SessionRegistry[] = [];
afterEach(() => {
  registries.splice(0).forEach((r) => r.close());
  apps.splice(0).forEach((a) => a.cleanup());
});

const site: SiteHost = { caFingerprint: 'test', sessionsOf: () => [], revoked: () => undefined };
let now = Date.parse('2026-06-01T08:00:00Z');
const clock = () => now;

function serverOn(dataDir?: string) {
  const t = startApp({ site, clock }, dataDir);
  apps.push(t);
  const registry = sessionRegistry({ clock });
  registries.push(registry);
  registry.attach(t.app.windowSessions!);
  return { t, registry };
}

/** Restarts the core on the same folder, as a restart of the server's process does (a new registry). */
function restartProcess(before: { t: TempApp; registry: SessionRegistry }) {
  before.registry.close();
  before.t.app.close();
  return serverOn(before.t.dataDir);
}

const enroll = (t: TempApp, name: string) => t.app.terminals!.enroll(t.app.terminals!.createEnrollmentCode().code, name, '0.1.0', '127.0.0.1').terminalId;
const rows = (t: TempApp) => {
  const db = new Database(join(t.dataDir, 'aviation-workflow.sqlite'), { readonly: true });
  try {
    return db.prepare('select id_hash as idHash, terminal_id as terminalId, opened_at as openedAt, last_used_at as lastUsedAt from site_sessions order by opened_at, id_hash').all() as {
      idHash: string;
      terminalId: string;
      openedAt: number;
      lastUsedAt: number;
    }[];
  } finally {
    db.close();
  }
};

describe('site window sessions', () => {
  it('keeps only the SHA-256 of each id, bound to its terminal, and knows them again after a restart', async () => {
    let server = serverOn();
    const a = enroll(server.t, 'A');
    const b = enroll(server.t, 'B');
    const session = server.registry.open(a);
    expect(session).toMatch(/^s_[A-Za-z0-9_-]{43}$/);
    expect(rows(server.t)).toEqual([{ idHash: sessionKeyOf(session), terminalId: a, openedAt: now, lastUsedAt: now }]);
    // The core knows the session by the hash: the id itself is nowhere in the database.
    expect(server.registry.key(session, a)).toBe(sessionKeyOf(session));
    expect(server.registry.key(session, b)).toBeNull();
    expect(server.registry.key('s_madeup', a)).toBeNull();

    server = restartProcess(server);
    expect(server.registry.key(session, a)).toBe(sessionKeyOf(session));
    expect(server.registry.key(session, b)).toBeNull();
    expect(server.registry.of(a)).toEqual([sessionKeyOf(session)]);
  });

  it('answers every request from memory, and writes when a session was last used at most every 30 s (and at a stop)', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const server = serverOn();
      const a = enroll(server.t, 'A');
      const session = server.registry.open(a);
      const store = server.t.app.windowSessions!;
      const reads = vi.spyOn(store, 'all');
      const writes = vi.spyOn(store, 'used');
      const openedAt = now;
      for (let i = 0; i < 100; i++) {
        now += 100;
        expect(server.registry.key(session, a)).not.toBeNull();
      }
      expect(reads).not.toHaveBeenCalled();
      expect(writes).not.toHaveBeenCalled();
      expect(rows(server.t)[0]!.lastUsedAt).toBe(openedAt);
      vi.advanceTimersByTime(30_000);
      expect(writes).toHaveBeenCalledTimes(1);
      expect(rows(server.t)[0]!.lastUsedAt).toBe(now);
      now += 5000;
      server.registry.key(session, a);
      server.registry.close();
      expect(rows(server.t)[0]!.lastUsedAt).toBe(now);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps at most 50 sessions per terminal: the least recently used one makes room, on disk too', async () => {
    let server = serverOn();
    const a = enroll(server.t, 'A');
    const b = enroll(server.t, 'B');
    const ids = Array.from({ length: 50 }, () => {
      now += 1000;
      return server.registry.open(a);
    });
    const other = server.registry.open(b);
    now += 1000;
    server.registry.key(ids[0], a); // used lately: not the one to go
    now += 1000;
    const newest = server.registry.open(a);
    expect(server.registry.key(ids[1], a)).toBeNull();
    expect(server.registry.key(ids[0], a)).not.toBeNull();
    expect(server.registry.of(a)).toHaveLength(50);
    expect(rows(server.t).filter((r) => r.terminalId === a)).toHaveLength(50);
    expect(rows(server.t).map((r) => r.idHash)).not.toContain(sessionKeyOf(ids[1]!));
    server = restartProcess(server);
    expect(server.registry.key(ids[1], a)).toBeNull();
    expect(server.registry.key(newest, a)).not.toBeNull();
    expect(server.registry.key(other, b)).not.toBeNull();
  });

  it('ends a revoked terminal’s sessions in memory and on disk, and they stay ended after a restart', async () => {
    let server = serverOn();
    const a = enroll(server.t, 'A');
    const b = enroll(server.t, 'B');
    const revokedOnes = [server.registry.open(a), server.registry.open(a)];
    const kept = server.registry.open(b);
    // What the server's SiteHost.revoked does after the core's revocation.
    await server.t.call('site.revokeTerminal', { id: a });
    expect(rows(server.t).map((r) => r.terminalId)).toEqual([b]);
    server.registry.endAllOf(a);
    for (const session of revokedOnes) expect(server.registry.key(session, a)).toBeNull();
    server = restartProcess(server);
    for (const session of revokedOnes) expect(server.registry.key(session, a)).toBeNull();
    expect(server.registry.key(kept, b)).not.toBeNull();
  });

  it('forgets sessions unused for a week and more: at a start, and from time to time while running', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      let server = serverOn();
      const a = enroll(server.t, 'A');
      const old = server.registry.open(a);
      now += WINDOW_SESSION_DAYS * 86_400_000 - 60_000;
      const recent = server.registry.open(a);
      now += 120_000;
      server = restartProcess(server);
      expect(server.registry.key(old, a)).toBeNull();
      expect(rows(server.t).map((r) => r.idHash)).toEqual([sessionKeyOf(recent)]);

      now += WINDOW_SESSION_DAYS * 86_400_000;
      vi.advanceTimersByTime(61 * 60_000);
      expect(rows(server.t)).toEqual([]);
      expect(server.registry.key(recent, a)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});
