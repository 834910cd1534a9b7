import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import rateLimit from '@fastify/rate-limit';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type pino from 'pino';
import { openRollingLog } from './rollingLog';
import type { CoreApp } from '../core/app';
import { createAppOrRecover, type RecoveryChoice } from '../core/recovery';
import type { DatabaseCorruptError } from '../core/db/restore';
import type { AppErrorData } from '../shared/errors';
import { hostEvent, RESTARTED_EVENT, type ChangeEvent } from '../shared/events';
import { SITE_PATHS, VERSION_HEADER, type CallRequest, type EnrollAnswer, type Hello, type ServerMessage } from '../shared/siteProtocol';
import { enrollGuard } from './enrollGuard';
import { eventLog } from './eventLog';
import { sessionRegistry } from './sessions';
import { watchStalls } from './stallWatch';
import { loadOrCreateSiteTls } from './siteCa';

export interface SiteServerOptions {
  dataDir: string;
  /** Where resources/ and the migrations are (the project root, or the installed folder). */
  assetsRoot: string;
  appVersion: string;
  /** Address to listen on: all interfaces (0.0.0.0) for a hangar, 127.0.0.1 for tests. */
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The rotating log's folder; null: no log file (tests). */
  logDir?: string | null;
  /** What to do when the database is damaged or missing (the command line's flags decide). */
  chooseRecovery?: (damaged: DatabaseCorruptError) => RecoveryChoice;
  log?: (message: string) => void;
  /** The server cannot go on safely (its disk lost writes): the command line exits, and the service manager restarts it. */
  onFatal?: (reason: string) => void;
}

export interface SiteServer {
  url: string;
  port: number;
  caPem: string;
  caFingerprint: string;
  core: CoreApp;
  /** Created at this start because no terminal is enrolled yet; null otherwise. */
  firstEnrollmentCode: { code: string; expiresAt: string } | null;
  /** The token the server's own command line uses on the loopback admin endpoint. */
  adminTokenFile: string;
  /** Stops taking requests, lets those in flight finish, then closes the core. */
  close(): Promise<void>;
}

/** The largest call a terminal sends (1 MB); the renderer's calls are a few kilobytes. */
const BODY_LIMIT = 1_000_000;
const COMMAND_ID = /^[A-Za-z0-9_-]{8,100}$/;
/** A terminal whose event socket has this much unsent is stuck: it is closed and reconnects with what it saw. */
const MAX_UNSENT_EVENTS = 1_000_000;
const PING_EVERY_MS = 15_000;
/** The server's own command line asks the running server for an enrollment code here. */
export const LOCAL_ENROLLMENT_CODES = '/local/enrollment-codes';
export const ADMIN_TOKEN_HEADER = 'x-aw-admin-token';
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

declare module 'fastify' {
  interface FastifyRequest {
    terminalId: string | null;
  }
}

const errorBody = (code: AppErrorData['code'], message: string) => ({ ok: false as const, error: { code, message } });
const bearer = (request: FastifyRequest) => {
  const header = request.headers.authorization;
  return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
};

/**
 * A site server: the same core as a standalone terminal, headless, serving the typed contract to
 * enrolled terminals over HTTPS with the site's own certificate authority (which terminals pin),
 * and pushing change events over a WebSocket.
 */
export async function startSiteServer(options: SiteServerOptions): Promise<SiteServer> {
  // Structured logs to a rotating file (requests by Fastify, the core's messages beside them).
  let logger: pino.Logger | null = null;
  if (options.logDir !== null) {
    logger = await openRollingLog(options.logDir ?? join(options.dataDir, 'logs'), 'server', { redact: ['req.headers.authorization', 'req.headers["x-aw-admin-token"]'] });
  }
  const print = options.log ?? ((message: string) => console.log(message));
  const log = (message: string) => {
    logger?.info({ from: 'core' }, message);
    print(message);
  };
  const tls = await loadOrCreateSiteTls(options.dataDir);
  const sessions = sessionRegistry();
  const events = eventLog();
  const sockets = new Map<string, Set<import('ws').WebSocket>>();

  const siteHost = {
    caFingerprint: tls.caFingerprint,
    sessionsOf: (terminalId: string) => sessions.of(terminalId),
    revoked: (terminalId: string) => {
      sessions.endAllOf(terminalId);
      for (const socket of sockets.get(terminalId) ?? []) socket.close(4001, 'This terminal was revoked.');
    },
  };
  // Whether someone works at a session, as of at most a second ago: an event goes to every terminal,
  // and asking the core for each of their sessions each time blocked the server's thread for tens of ms.
  // A sign-in, sign-out, lock or change of people (the users module's commands) forgets it at once.
  const signedInAt = new Map<string, { at: number; value: boolean }>();
  const signedInLately = (session: string): boolean => {
    const now = Date.now();
    const known = signedInAt.get(session);
    if (known && now - known.at < 1000) return known.value;
    if (signedInAt.size > 20_000) signedInAt.clear();
    const value = core.signedIn(session);
    signedInAt.set(session, { at: now, value });
    return value;
  };

  const openCore = () => {
    const coreOptions = {
      dataDir: options.dataDir,
      assetsRoot: options.assetsRoot,
      appVersion: options.appVersion,
      log,
      site: siteHost,
      groupCommit: true,
      // Window sessions are the server's, bound to terminals: who is signed in where survives a restart.
      durableSessions: true,
      restart: () => restartCore(),
      onFlushFailure: (error: Error) => options.onFatal?.(`the disk did not confirm a write (${error.message}); stopping so the database recovers from what is on disk`),
    };
    const opened = createAppOrRecover(coreOptions, options.chooseRecovery ?? (() => null));
    if (!opened) throw new Error('The site database is damaged or missing; see above for how to restore it.');
    opened.onChange((event) => {
      if (event.channel.startsWith('users.')) signedInAt.clear();
      events.publish(event);
    });
    return opened;
  };
  let core = openCore();
  let terminals = core.terminals!;
  sessions.attach(core.windowSessions!);
  // An administrator switched a module or restored a backup from a terminal's settings window: the
  // core closes and opens again in this process; the terminals' windows reload.
  const restartCore = () => {
    log('Restarting the core (asked from a settings window).');
    try {
      sessions.flush();
    } catch (error) {
      log(`Could not note when the windows' sessions were last used: ${(error as Error).message}`);
    }
    core.close();
    try {
      core = openCore();
      terminals = core.terminals!;
      // The sessions the restarted core kept: all of them after a module switch, none after a restored backup.
      sessions.attach(core.windowSessions!);
      signedInAt.clear();
    } catch (error) {
      log(`The core could not start again: ${(error as Error).message}. Stopping; the service manager starts the server again.`);
      process.exit(1);
    }
    events.publish(hostEvent(RESTARTED_EVENT));
  };

  // Each event is turned into text once (in full, and without arrivals), not once per terminal.
  const texts = new WeakMap<ChangeEvent, { full?: string; redacted?: string }>();
  const serialized = (event: ChangeEvent & { seq: number }, full: boolean): string => {
    const known = texts.get(event) ?? {};
    texts.set(event, known);
    if (full) return (known.full ??= JSON.stringify({ type: 'change', epoch: events.epoch, event } satisfies ServerMessage));
    return (known.redacted ??= JSON.stringify({ type: 'change', epoch: events.epoch, event: { ...event, items: [], arrivals: [] } } satisfies ServerMessage));
  };

  const adminToken = randomBytes(32).toString('base64url');
  const adminTokenFile = join(options.dataDir, 'server-admin.token');
  writeFileSync(adminTokenFile, adminToken, { mode: 0o600 });
  chmodSync(adminTokenFile, 0o600);

  const server = Fastify({
    https: { key: tls.keyPem, cert: tls.certChainPem, minVersion: 'TLSv1.2' },
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    bodyLimit: BODY_LIMIT,
    // A slow or idle client does not hold a connection for long.
    connectionTimeout: 30_000,
    keepAliveTimeout: 30_000,
    requestTimeout: 60_000,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  server.decorateRequest('terminalId', null);
  await server.register(rateLimit, { global: false });
  await server.register(websocket, { options: { maxPayload: 64 * 1024 } });

  // Set at a stop: answers in flight close their connection after them, so the stop need not wait out keep-alive.
  let stopping = false;
  server.addHook('onSend', async (_request, reply) => {
    reply.header(VERSION_HEADER, options.appVersion);
    reply.header('cache-control', 'no-store');
    if (stopping) reply.header('connection', 'close');
  });

  // Every request but the health check from this machine names its version; a different one is refused.
  const versionMismatch = (request: FastifyRequest): string | null => {
    const theirs = request.headers[VERSION_HEADER];
    if (theirs === options.appVersion) return null;
    return typeof theirs === 'string' && theirs.length < 40
      ? `This terminal runs Aviation Workflow ${theirs} and the site server runs ${options.appVersion}. Install the same version on both.`
      : `The site server runs Aviation Workflow ${options.appVersion}; the request did not say which version sent it.`;
  };

  const refuse = (reply: FastifyReply, status: number, code: AppErrorData['code'], message: string) => reply.code(status).send(errorBody(code, message));

  // Only enrolled, unrevoked terminals get past here (the enrollment endpoints are outside /api).
  server.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0]!;
    const isApi = path.startsWith('/api/');
    const isHealth = path === SITE_PATHS.health;
    if (path === LOCAL_ENROLLMENT_CODES) {
      const token = request.headers[ADMIN_TOKEN_HEADER];
      if (LOOPBACK.has(request.ip) && tokensMatch(typeof token === 'string' ? token : undefined, adminToken)) return;
      return refuse(reply, 404, 'NOT_FOUND', 'There is nothing here.');
    }
    if (!isApi && !isHealth && !path.startsWith('/enroll')) return refuse(reply, 404, 'NOT_FOUND', 'There is nothing here.');
    if (isHealth && LOOPBACK.has(request.ip)) return;
    const mismatch = versionMismatch(request);
    if (mismatch && !isHealth) return refuse(reply, 409, 'INCOMPATIBLE', mismatch);
    if (!isApi && !isHealth) return;
    const terminalId = terminals.authenticate(bearer(request));
    if (!terminalId) return refuse(reply, 401, 'NOT_ENROLLED', 'This terminal is not enrolled with this site server, or it was revoked. An administrator can enroll it again with a new code.');
    request.terminalId = terminalId;
    terminals.seen(terminalId, String(request.headers[VERSION_HEADER] ?? ''), request.ip);
  });

  server.get(SITE_PATHS.hello, { config: { rateLimit: { max: 60, timeWindow: '1 minute' } } }, async (): Promise<Hello> => ({
    caPem: tls.caPem,
    caFingerprint: tls.caFingerprint,
    serverVersion: options.appVersion,
  }));

  const guessing = enrollGuard();
  server.post<{ Body: { code?: unknown; name?: unknown } }>(
    SITE_PATHS.enroll,
    async (request, reply): Promise<EnrollAnswer | ReturnType<typeof errorBody>> => {
      const wait = guessing.waitFor(request.ip);
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        return refuse(reply, 429, 'FORBIDDEN', `Too many wrong enrollment codes from here; try again in ${Math.ceil(wait / 60)} minutes.`);
      }
      const { code, name } = request.body ?? {};
      if (typeof code !== 'string' || code.length > 40 || typeof name !== 'string' || !name.trim() || name.length > 60 || /[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/.test(name)) {
        return refuse(reply, 400, 'VALIDATION', 'Send the enrollment code and a name for the terminal (at most 60 characters).');
      }
      try {
        const enrolled = terminals.enroll(code, name.trim(), String(request.headers[VERSION_HEADER]), request.ip);
        request.log.info({ terminal: enrolled.terminalId, name: name.trim() }, 'terminal enrolled');
        return { ...enrolled, name: name.trim() };
      } catch (error) {
        guessing.failed(request.ip);
        request.log.warn({ ip: request.ip }, 'enrollment refused');
        return refuse(reply, 403, 'FORBIDDEN', (error as Error).message);
      }
    },
  );

  const perTerminal = { rateLimit: { max: 3000, timeWindow: '1 minute', keyGenerator: (request: FastifyRequest) => request.terminalId ?? request.ip } };

  server.post(SITE_PATHS.sessions, { config: perTerminal }, async (request) => ({ session: sessions.open(request.terminalId!) }));

  server.post<{ Body: CallRequest }>(SITE_PATHS.call, { config: perTerminal }, async (request, reply) => {
    const body = request.body;
    if (typeof body !== 'object' || body === null || typeof body.channel !== 'string' || body.channel.length > 100) {
      return refuse(reply, 400, 'VALIDATION', 'A call names its channel, session and input.');
    }
    if (body.commandId !== undefined && (typeof body.commandId !== 'string' || !COMMAND_ID.test(body.commandId))) {
      return refuse(reply, 400, 'VALIDATION', 'A command id is 8 to 100 letters, digits, - or _.');
    }
    const terminalId = request.terminalId!;
    // The core knows the session by its hash only (what the database keeps): the id stays with the window.
    const session = sessions.key(body.session, terminalId);
    if (session === null) {
      return refuse(reply, 401, 'SIGNED_OUT', 'This window’s session ended (a backup was restored, it was not used for a long time, or it was never issued to this terminal). Sign in again.');
    }
    return core.invoke(body.channel, body.input, session, terminalId, body.commandId ? { commandId: body.commandId } : undefined);
  });

  // How long the server's one thread was kept from answering: the longest and the typical wait since the last look.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const stopWatchingStalls = watchStalls((message) => {
    logger?.warn({ from: 'server' }, message);
  });
  server.get(SITE_PATHS.health, async (request) => {
    const stalls = { maxMs: Math.round(loopDelay.max / 1e6), p99Ms: Math.round(loopDelay.percentile(99) / 1e6) };
    loopDelay.reset();
    return {
      status: 'ok',
      version: options.appVersion,
      terminalsConnected: [...sockets.values()].reduce((n, set) => n + set.size, 0),
      eventSeq: events.seq,
      eventLoopDelaySinceLastHealth: stalls,
      // How many commits each flush to disk covered (group commit), since the core opened.
      durability: core.flushStats?.(),
      ...(request.terminalId ? {} : { dataDir: options.dataDir }),
    };
  });

  server.get<{ Querystring: { epoch?: string; since?: string } }>(SITE_PATHS.events, { websocket: true, config: perTerminal }, (socket, request) => {
    const terminalId = request.terminalId!;
    const mine = sockets.get(terminalId) ?? new Set();
    sockets.set(terminalId, mine);
    mine.add(socket);
    // Revoked between its request's check and now: it gets nothing.
    if (!terminals.active(terminalId)) return socket.close(4001, 'This terminal was revoked.');
    // Events of one turn (a group commit answers many commands at once) leave in one write, not one each.
    const connection = request.socket;
    let corked = false;
    const send = (message: ServerMessage | string) => {
      if (socket.bufferedAmount > MAX_UNSENT_EVENTS) return socket.close(4002, 'Too far behind; reconnect.');
      if (!corked) {
        corked = true;
        connection.cork();
        setImmediate(() => {
          corked = false;
          connection.uncork();
        });
      }
      socket.send(typeof message === 'string' ? message : JSON.stringify(message));
    };
    // A terminal where nobody is signed in learns that something changed (its sign-in screen
    // re-reads), not which items or what arrived where (the arrivals name items' titles).
    const sendChange = (event: ChangeEvent & { seq: number }) => {
      const full = (!event.arrivals.length && !event.items.length) || sessions.of(terminalId).some(signedInLately);
      send(serialized(event, full));
    };
    const { epoch, since } = request.query;
    const sinceSeq = Number(since);
    if (epoch !== undefined && since !== undefined && Number.isSafeInteger(sinceSeq)) {
      const missed = events.since(epoch, sinceSeq);
      if (missed === null) send({ type: 'resync', epoch: events.epoch, seq: events.seq });
      else for (const event of missed) sendChange(event);
    }
    send({ type: 'welcome', epoch: events.epoch, seq: events.seq });
    const unsubscribe = events.subscribe(sendChange);
    let alive = true;
    socket.on('pong', () => (alive = true));
    const ping = setInterval(() => {
      if (!alive) return socket.terminate();
      alive = false;
      socket.ping();
    }, PING_EVERY_MS);
    socket.on('message', () => socket.close(4003, 'Terminals do not send on the events socket.'));
    socket.on('close', () => {
      clearInterval(ping);
      unsubscribe();
      mine.delete(socket);
    });
  });

  // The server's own command line (this machine, with the token only the server's user can read).
  server.post(LOCAL_ENROLLMENT_CODES, async () => terminals.createEnrollmentCode());
  await server.listen({ host: options.host, port: options.port });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;

  let firstEnrollmentCode: SiteServer['firstEnrollmentCode'] = null;
  if (terminals.list(() => []).every((t) => t.revokedAt !== null)) firstEnrollmentCode = terminals.createEnrollmentCode();

  let closing: Promise<void> | null = null;
  return {
    url: `https://${options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host}:${port}`,
    port,
    caPem: tls.caPem,
    caFingerprint: tls.caFingerprint,
    get core() {
      return core;
    },
    firstEnrollmentCode,
    adminTokenFile,
    close: () =>
      (closing ??= (async () => {
        stopping = true;
        for (const set of sockets.values()) for (const socket of set) socket.close(1001, 'The site server is stopping.');
        await server.close();
        loopDelay.disable();
        stopWatchingStalls();
        try {
          sessions.close();
        } catch (error) {
          log(`Could not note when the windows' sessions were last used: ${(error as Error).message}`);
        }
        core.close();
        logger?.flush();
      })()),
  };
}

const tokensMatch = (given: string | undefined, kept: string) =>
  given !== undefined && given.length === kept.length && timingSafeEqual(Buffer.from(given), Buffer.from(kept));
