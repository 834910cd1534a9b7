import { randomUUID } from 'node:crypto';
import type { Result } from '../shared/errors';
import { CONNECTION_EVENT, hostEvent, RESYNC_EVENT, type ChangeEvent } from '../shared/events';
import { commandChannelNames } from '../shared/moduleContracts';
import { SITE_PATHS, type EnrollAnswer } from '../shared/siteProtocol';
import type { ConnectionState, ServerIntroduction, TerminalState } from '../shared/terminalContract';
import type { AppStatus } from '../shared/types';
import { eventStream } from './siteEvents';
import { fingerprintOf as fingerprintOfPem, introduceServer, siteLink, UnreachableError, WrongCertificateError, type SiteLink } from './siteLink';
import { terminalConfig, type CredentialVault, type TerminalFile } from './terminalConfig';
import { fail, switchMode, validation, type TerminalHost } from './terminalHost';

/** How long a command is retried with its key while the server does not answer, before the person is told. */
const COMMAND_RETRY_MS = 30_000;
const CALL_TIMEOUT_MS = 20_000;

export interface SiteTerminalOptions {
  dataDir: string;
  appVersion: string;
  vault: CredentialVault;
  /** Site mode with this server, unless terminal.json names one already (the harness's --site). */
  server?: string;
  /** Lets an administrator switch the terminal back to standalone (and restart it). */
  restart?: () => void;
  log?: (message: string) => void;
}

/**
 * A site terminal: opens no database. Every contract call goes to the site server (each window
 * with its own server-issued session; each command with an idempotency key, retried with the same
 * key while the server does not answer); the server's change events come back to the windows.
 * While the server is unreachable the windows keep what they show, calls answer UNREACHABLE, and
 * the terminal reconnects by itself.
 */
export function siteTerminalHost(options: SiteTerminalOptions): TerminalHost & { state(): TerminalState } {
  const log = options.log ?? ((message: string) => console.log(message));
  const config = terminalConfig(options.dataDir);
  let file: TerminalFile = config.read() ?? { mode: 'site', server: options.server ?? null, name: null, caPem: null, terminalId: null, sealedCredential: null, vault: null };
  if (options.server && !file.server) file = { ...file, server: options.server };
  let credential: string | null = file.sealedCredential ? options.vault.open(file.sealedCredential) : null;
  let link: SiteLink | null = null;
  let stream: ReturnType<typeof eventStream> | null = null;
  const listeners = new Set<(event: ChangeEvent) => void>();
  const emit = (event: ChangeEvent) => listeners.forEach((l) => l(event));
  const serverSessions = new Map<string, string>();
  let lastStatus: AppStatus | null = null;
  /** Why the server refuses this terminal, as the error calls get meanwhile. */
  let refusalCode: 'INCOMPATIBLE' | 'NOT_ENROLLED' = 'INCOMPATIBLE';
  let connection: { state: ConnectionState; since: string; problem: string | null } = { state: 'connecting', since: new Date().toISOString(), problem: null };

  const setConnection = (state: ConnectionState, problem: string | null) => {
    if (connection.state === state && connection.problem === problem) return;
    // "Unreachable since" keeps its first moment while retries fail.
    const since = connection.state === state ? connection.since : new Date().toISOString();
    connection = { state, since, problem };
    log(`site terminal: ${state}${problem ? ` (${problem})` : ''}`);
    emit(hostEvent(CONNECTION_EVENT));
  };

  const state = (): TerminalState => ({
    mode: 'site',
    enrolled: credential !== null,
    server: file.server,
    terminalId: file.terminalId,
    name: file.name,
    caFingerprint: fingerprint(file.caPem),
    connection: credential ? connection.state : 'refused',
    since: connection.since,
    problem: credential ? connection.problem : 'This terminal is not enrolled with a site server yet.',
    appVersion: options.appVersion,
  });
  const fingerprint = (pem: string | null) => (pem ? fingerprintOfPem(pem) : null);

  const connect = () => {
    if (!credential || !file.server || !file.caPem) return;
    link = siteLink(file.server, file.caPem, options.appVersion, () => credential);
    stream = eventStream(
      { address: file.server, caPem: file.caPem, credential: () => credential, appVersion: options.appVersion },
      {
        onChange: (event) => emit(event),
        onResync: () => emit(hostEvent(RESYNC_EVENT)),
        onConnected: () => {
          const wasDown = connection.state === 'unreachable';
          setConnection('connected', null);
          // What it showed may be stale: every screen re-reads.
          if (wasDown) emit(hostEvent(RESYNC_EVENT));
        },
        onLost: (reason) => setConnection('unreachable', `The site server does not answer (${reason}).`),
        onRefused: (reason, code) => {
          refusalCode = code;
          setConnection('refused', reason);
        },
      },
    );
  };
  connect();

  /** The server session for a window, opened on first use. */
  const sessionFor = async (windowSession: string): Promise<string> => {
    const known = serverSessions.get(windowSession);
    if (known) return known;
    const answer = await link!.send('POST', SITE_PATHS.sessions, {}, CALL_TIMEOUT_MS);
    if (answer.status !== 200) throw answer;
    const session = (answer.body as { session: string }).session;
    serverSessions.set(windowSession, session);
    return session;
  };

  const refusedResult = (answer: { status: number; body: unknown }): Result<unknown> | null => {
    if (answer.status !== 401 && answer.status !== 409) return null;
    const body = answer.body as { error?: { code?: string; message?: string } } | null;
    if (answer.status === 401 && body?.error?.code === 'SIGNED_OUT') return null;
    const message = body?.error?.message ?? 'The site server refused this terminal.';
    refusalCode = answer.status === 409 ? 'INCOMPATIBLE' : 'NOT_ENROLLED';
    setConnection('refused', message);
    return fail(refusalCode, message);
  };

  const forward = async (channel: string, input: unknown, windowSession: string): Promise<Result<unknown>> => {
    if (!credential || !link) return fail('NOT_ENROLLED', 'This terminal is not enrolled with a site server yet.');
    if (connection.state === 'refused') return fail(refusalCode, connection.problem ?? 'The site server refused this terminal.');
    const commandId = commandChannelNames.has(channel) ? randomUUID() : undefined;
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        const session = await sessionFor(windowSession);
        const answer = await link.send('POST', SITE_PATHS.call, { channel, session, input, ...(commandId ? { commandId } : {}) }, CALL_TIMEOUT_MS);
        // The server checks the terminal's version; the terminal checks the server's, whichever is older.
        if (answer.serverVersion !== null && answer.serverVersion !== options.appVersion) {
          const message = `This terminal runs Aviation Workflow ${options.appVersion} and the site server runs ${answer.serverVersion}. Install the same version on both.`;
          refusalCode = 'INCOMPATIBLE';
          setConnection('refused', message);
          return fail('INCOMPATIBLE', message);
        }
        const refused = refusedResult(answer);
        if (refused) return refused;
        if (answer.status === 401 && attempt < 2) {
          // The server does not know this window's session (it restarted): a new one, and the call again.
          serverSessions.delete(windowSession);
          continue;
        }
        if (connection.state !== 'connected') stream?.nudge();
        if (answer.status >= 500 && commandId && Date.now() - started < COMMAND_RETRY_MS) throw new UnreachableError(`the server answered ${answer.status}`);
        return answer.body as Result<unknown>;
      } catch (error) {
        if (error instanceof WrongCertificateError) {
          refusalCode = 'INCOMPATIBLE';
          setConnection('refused', error.message);
          return fail('INCOMPATIBLE', error.message);
        }
        const asAnswer = error as { status?: number; body?: unknown };
        if (typeof asAnswer.status === 'number') {
          const refused = refusedResult(asAnswer as { status: number; body: unknown });
          if (refused) return refused;
        }
        const reason = error instanceof Error ? error.message : `the server answered ${asAnswer.status}`;
        setConnection('unreachable', `The site server does not answer (${reason}).`);
        // A query is not retried (the screen keeps what it shows). A command is, with the same key: the server applies it at most once.
        if (!commandId || Date.now() - started > COMMAND_RETRY_MS) {
          return fail(
            'UNREACHABLE',
            commandId
              ? 'The site server could not be reached, so this was not confirmed. It may have been done: look at the item again before you retry.'
              : 'The site server cannot be reached now; what you see may be out of date. It reconnects by itself.',
          );
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(4000, 250 * 2 ** attempt)));
      }
    }
  };

  const inspect = async (address: string): Promise<ServerIntroduction> => {
    try {
      const hello = await introduceServer(address, options.appVersion);
      const compatible = hello.serverVersion === options.appVersion;
      const tampered = hello.presentedCaFingerprint !== null && hello.presentedCaFingerprint !== hello.caFingerprint;
      return {
        address,
        caFingerprint: hello.caFingerprint,
        serverVersion: hello.serverVersion,
        compatible: compatible && !tampered,
        problem: tampered
          ? 'The certificate this server presents was not issued by the authority it names: do not enroll.'
          : compatible
            ? null
            : `This terminal runs Aviation Workflow ${options.appVersion} and the site server runs ${hello.serverVersion}. Install the same version on both.`,
      };
    } catch (error) {
      throw new UnreachableError((error as Error).message);
    }
  };

  const enroll = async (input: { address: string; code: string; name: string; caFingerprint: string }): Promise<Result<unknown>> => {
    let hello;
    try {
      hello = await introduceServer(input.address, options.appVersion);
    } catch (error) {
      return fail('UNREACHABLE', `Could not reach ${input.address}: ${(error as Error).message}`);
    }
    if (hello.caFingerprint !== input.caFingerprint || (hello.presentedCaFingerprint !== null && hello.presentedCaFingerprint !== hello.caFingerprint)) {
      return fail('INCOMPATIBLE', 'The server’s certificate is not the one you checked. Do not enroll: look at the server console’s fingerprint again.');
    }
    // From here on only the accepted authority is trusted: the code travels on a pinned connection.
    const pinned = siteLink(input.address, hello.caPem, options.appVersion);
    try {
      const answer = await pinned.send('POST', SITE_PATHS.enroll, { code: input.code, name: input.name }, CALL_TIMEOUT_MS);
      if (answer.status !== 200) {
        const message = (answer.body as { error?: { message?: string } } | null)?.error?.message ?? `The site server answered ${answer.status}.`;
        return fail(answer.status === 409 ? 'INCOMPATIBLE' : answer.status === 429 ? 'INVALID_TRANSITION' : 'NOT_ENROLLED', answer.status === 429 ? 'Too many tries; wait a minute and try again.' : message);
      }
      const enrolled = answer.body as EnrollAnswer;
      stream?.close();
      link?.close();
      credential = enrolled.credential;
      file = { mode: 'site', server: input.address, name: enrolled.name, caPem: hello.caPem, terminalId: enrolled.terminalId, sealedCredential: options.vault.seal(enrolled.credential), vault: options.vault.kind };
      config.write(file);
      serverSessions.clear();
      connection = { state: 'connecting', since: new Date().toISOString(), problem: null };
      connect();
      emit(hostEvent(CONNECTION_EVENT));
      return { ok: true, value: state() };
    } catch (error) {
      return fail('UNREACHABLE', `Could not enroll: ${(error as Error).message}`);
    } finally {
      pinned.close();
    }
  };

  return {
    state,
    async invoke(channel, input, windowSession) {
      if (channel === 'terminal.state') return { ok: true, value: state() };
      if (channel === 'terminal.inspect') {
        const { data, error } = validation('terminal.inspect', input);
        if (error) return error;
        try {
          return { ok: true, value: await inspect((data as { address: string }).address) };
        } catch (failure) {
          return fail('UNREACHABLE', `Could not reach ${(data as { address: string }).address}: ${(failure as Error).message}`);
        }
      }
      if (channel === 'terminal.enroll') {
        const { data, error } = validation('terminal.enroll', input);
        return error ?? enroll(data as never);
      }
      if (channel === 'terminal.setMode') {
        const { data, error } = validation('terminal.setMode', input);
        if (error) return error;
        if ((data as { mode: string }).mode === 'site') return { ok: true, value: { restarting: false } };
        // Enrolled: the site's administrator decides (the server says whether this window has one). Not yet: nothing to lose.
        if (credential) {
          const status = await forward('app.status', {}, windowSession);
          if (!status.ok || !(status.value as AppStatus).canAdminister) {
            return fail('FORBIDDEN', 'Only an administrator of the site can make this terminal standalone; ask one to sign in here. (With the server gone for good, set "mode": "standalone" in terminal.json in the data folder.)');
          }
        }
        return switchMode({ dataDir: options.dataDir, ...(options.restart ? { restart: options.restart } : {}) }, 'standalone');
      }
      if (channel === 'app.status') {
        const result = await forward(channel, input, windowSession);
        if (result.ok) lastStatus = result.value as AppStatus;
        // Unreachable: the last status it had, so the windows keep showing who works here.
        if (result.ok || lastStatus) return { ok: true, value: { ...(result.ok ? (result.value as AppStatus) : lastStatus!), terminal: state() } };
        return result;
      }
      return forward(channel, input, windowSession);
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => {
      stream?.close();
      link?.close();
    },
  };
}
