import WebSocket from 'ws';
import type { ChangeEvent } from '../shared/events';
import { SITE_PATHS, VERSION_HEADER, type ServerMessage } from '../shared/siteProtocol';

/** Waits between reconnects: quick at first, then every 10 s at most, with a little jitter. */
const BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000, 10_000];
/** No ping from the server for this long: the connection is dead even if the socket has not noticed. */
const SILENCE_MS = 40_000;

export interface EventStreamHandlers {
  onChange(event: ChangeEvent): void;
  /** The server cannot replay what this terminal missed (or restarted): every screen re-reads. */
  onResync(): void;
  onConnected(): void;
  onLost(reason: string): void;
  /** The server refused this terminal (revoked or never enrolled, other version, wrong certificate): reconnecting stops. */
  onRefused(reason: string, code: 'NOT_ENROLLED' | 'INCOMPATIBLE'): void;
}

/**
 * The site server's change events over one WebSocket, pinned to the site CA and sent with the
 * terminal's credential. Reconnects by itself with backoff and asks for what it missed (epoch and
 * sequence number); the server replays it or says to resync.
 */
export function eventStream(options: { address: string; caPem: string; credential: () => string | null; appVersion: string }, handlers: EventStreamHandlers) {
  let socket: WebSocket | null = null;
  let epoch: string | null = null;
  let seq = 0;
  let attempt = 0;
  let stopped = false;
  let connected = false;
  let retry: NodeJS.Timeout | null = null;
  let silence: NodeJS.Timeout | null = null;

  const heardFromServer = () => {
    if (silence) clearTimeout(silence);
    silence = setTimeout(() => socket?.terminate(), SILENCE_MS);
  };

  const scheduleReconnect = () => {
    if (stopped || retry) return;
    const wait = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)]! * (0.8 + Math.random() * 0.4);
    attempt += 1;
    retry = setTimeout(() => {
      retry = null;
      connect();
    }, wait);
  };

  const connect = () => {
    if (stopped) return;
    const url = new URL(SITE_PATHS.events, options.address.replace(/^https:/, 'wss:'));
    if (epoch) {
      url.searchParams.set('epoch', epoch);
      url.searchParams.set('since', String(seq));
    }
    const token = options.credential();
    const ws = new WebSocket(url, {
      ca: options.caPem,
      // Node's TLS wants undefined for "fine" (the ws typings say boolean; true would refuse): names are not checked, the pinned CA is.
      checkServerIdentity: (() => undefined) as unknown as () => boolean,
      headers: { [VERSION_HEADER]: options.appVersion, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      handshakeTimeout: 8000,
      maxPayload: 8 * 1024 * 1024,
    });
    socket = ws;
    let refusedWith: string | null = null;
    ws.on('unexpected-response', (_req, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      response.on('end', () => {
        let message = `The site server answered ${response.statusCode}.`;
        try {
          message = (JSON.parse(body) as { error: { message: string } }).error.message;
        } catch {
          // not the server's JSON: keep the status
        }
        if (response.statusCode === 401 || response.statusCode === 409) {
          refusedWith = message;
          stopped = true;
          handlers.onRefused(message, response.statusCode === 401 ? 'NOT_ENROLLED' : 'INCOMPATIBLE');
        } else {
          handlers.onLost(message);
          scheduleReconnect();
        }
      });
      ws.terminate();
    });
    ws.on('open', heardFromServer);
    ws.on('ping', heardFromServer);
    ws.on('message', (data) => {
      heardFromServer();
      let message: ServerMessage;
      try {
        message = JSON.parse(String(data)) as ServerMessage;
      } catch {
        return;
      }
      if (message.type === 'welcome') {
        const restarted = epoch !== null && epoch !== message.epoch;
        epoch = message.epoch;
        seq = message.seq;
        attempt = 0;
        connected = true;
        handlers.onConnected();
        if (restarted) handlers.onResync();
      } else if (message.type === 'resync') {
        epoch = message.epoch;
        seq = message.seq;
        handlers.onResync();
      } else if (message.type === 'change' && message.epoch === epoch) {
        if (message.event.seq <= seq) return; // seen already (replayed)
        seq = message.event.seq;
        handlers.onChange(message.event);
      } else if (message.type === 'change') {
        // From an epoch this terminal has not been welcomed to yet: the welcome follows the replay.
        epoch = message.epoch;
        seq = message.event.seq;
        handlers.onChange(message.event);
      }
    });
    ws.on('error', (error) => {
      if (error.message.includes('certificate') || /SELF_SIGNED|UNABLE_TO_VERIFY/.test((error as NodeJS.ErrnoException).code ?? '')) {
        stopped = true;
        refusedWith = `The server at ${options.address} presents a certificate from another authority than the one this terminal trusts; it will not talk to it.`;
        handlers.onRefused(refusedWith, 'INCOMPATIBLE');
      }
    });
    ws.on('close', (code, reason) => {
      if (silence) clearTimeout(silence);
      if (socket === ws) socket = null;
      if (refusedWith) return;
      if (code === 4001) {
        stopped = true;
        handlers.onRefused(reason.toString() || 'This terminal was revoked by an administrator.', 'NOT_ENROLLED');
        return;
      }
      if (connected || attempt === 0) handlers.onLost(reason.toString() || 'The connection to the site server was lost.');
      connected = false;
      scheduleReconnect();
    });
  };

  connect();
  return {
    /** The last event number seen (for tests and the health view). */
    position: () => ({ epoch, seq }),
    /** Try again now (a call just got through, so the server is back). */
    nudge: () => {
      if (stopped || socket) return;
      if (retry) clearTimeout(retry);
      retry = null;
      connect();
    },
    close: () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      if (silence) clearTimeout(silence);
      socket?.close(1000, 'Terminal closing.');
    },
  };
}
