import type { ChannelMap } from '../../shared/channel';
import { AppError, type AppErrorData, type Result } from '../../shared/errors';
import type { Authorizer, CallContext, HandlersOf } from '../modules/types';

/**
 * What Electron's ipcMain, the browser harness and the tests all call. `session` names the
 * window or page the call comes from (who is working there is remembered per session);
 * `terminal` the machine as the host knows it, which sign-in limits count against (Electron:
 * the one local terminal; the browser harness: every page on this machine; a site server: the
 * enrolled terminal). Left out, each session is its own terminal.
 */
export type Invoke = (channel: string, input: unknown, session?: string, terminal?: string, options?: InvokeOptions) => Promise<Result<unknown>>;

export interface InvokeOptions {
  /**
   * A site terminal's key for this command (unique per terminal): applied at most once. A retry of
   * a command whose answer was lost gets the kept answer instead of running again.
   */
  commandId?: string;
}

export interface ChannelGroup {
  contract: ChannelMap;
  handlers: HandlersOf<ChannelMap>;
}

export interface HandlerTableOptions {
  groups: ChannelGroup[];
  /** Channels of modules that are installed but not running, to answer MODULE_DISABLED. */
  channelOwners: Map<string, string>;
  /** Who is calling from this session; throws (SIGNED_OUT) when nobody may call this channel there. */
  callContext(session: string, channel: string, terminal: string): CallContext;
  /** Every module's permission checks, run before each handler. */
  authorizers: Authorizer[];
  /** May this session change configuration (admin channels)? */
  canAdminister(session: string): boolean;
  /** After a command succeeded: what it was given and what it answered, for the change event. */
  onCommandDone(channel: string, input: unknown, value: unknown): void;
  logError(channel: string, error: unknown): void;
  /**
   * Runs each call (its permission checks and its handler) holding the database connection, when
   * the storage needs calls to take turns (SQLite's one connection). The durable() wait is outside it.
   */
  hold?<T>(fn: () => Promise<T>): Promise<T>;
  /** Awaited after a command ran (succeeded or refused), before it is answered: group commit's "on disk now". */
  durable?(): Promise<void>;
  /** Turns a failure a person can act on (a full disk, a busy or read-only database) into its own error; null: unexpected. */
  mapError?(error: unknown): AppError | null;
}

export const DEFAULT_SESSION = 'local';

function validationError(issues: { path: PropertyKey[]; message: string }[]): AppErrorData {
  const list = issues.map((i) => ({ path: i.path.map(String), message: i.message }));
  const first = list[0];
  const where = first && first.path.length ? `${first.path.join('.')}: ` : '';
  return {
    code: 'VALIDATION',
    message: first ? `${where}${first.message}` : 'The request is not valid.',
    details: { issues: list },
  };
}

/**
 * Binds contracts to handlers: every input is checked against its zod schema before a handler
 * sees it, and every outcome — value or error — leaves as plain data. Unexpected errors are
 * logged here and cross as INTERNAL, never as a stack trace.
 */
export function buildHandlerTable(options: HandlerTableOptions): { invoke: Invoke; channels: string[]; secretAnswers: ReadonlySet<string> } {
  const secretAnswers = new Set<string>();
  const routes = new Map<
    string,
    { kind: 'query' | 'command'; run: (input: unknown, session: string, terminal: string) => Promise<Result<unknown>> }
  >();

  for (const { contract, handlers } of options.groups) {
    for (const [name, channel] of Object.entries(contract)) {
      const handler = handlers[name];
      if (!handler) throw new Error(`Channel "${name}" has no handler`);
      if (channel.secretAnswer) secretAnswers.add(name);
      const handle = async (input: unknown, session: string, terminal: string): Promise<Result<unknown>> => {
        try {
          const call = options.callContext(session, name, terminal);
          if (channel.admin && !options.canAdminister(session)) {
            throw new AppError(
              'FORBIDDEN',
              channel.kind === 'query' ? 'Only an administrator can see this; ask an admin to sign in.' : 'Only an administrator can change this; ask an admin to sign in.',
            );
          }
          for (const authorize of options.authorizers) await authorize({ channel: name, kind: channel.kind, input, call });
          const value = await handler(input, call);
          return { ok: true, value };
        } catch (error) {
          if (error instanceof AppError) return { ok: false, error: error.toData() };
          const known = options.mapError?.(error);
          if (known) return { ok: false, error: known.toData() };
          options.logError(name, error);
          return { ok: false, error: { code: 'INTERNAL', message: 'Something went wrong on our side; nothing was changed. The error has been logged.' } };
        }
      };
      routes.set(name, {
        kind: channel.kind,
        run: async (input, session, terminal) => {
          const parsed = channel.input.safeParse(input ?? {});
          if (!parsed.success) return { ok: false, error: validationError(parsed.error.issues) };
          const answer = await (options.hold ? options.hold(() => handle(parsed.data, session, terminal)) : handle(parsed.data, session, terminal));
          // A command is answered only once what it committed is on disk (group commit): a refusal
          // too, since it may have committed on its way (a wrong PIN counted and put on record).
          return channel.kind === 'command' && options.durable ? onDisk(name, answer) : answer;
        },
      });
    }
  }

  /** Waits for the flush that covers a command's commits; a flush that failed is not "nothing was changed". */
  const onDisk = async (name: string, answer: Result<unknown>): Promise<Result<unknown>> => {
    try {
      await options.durable!();
      return answer;
    } catch (error) {
      options.logError(name, error);
      return {
        ok: false,
        error: {
          code: 'INTERNAL',
          message:
            'The server could not confirm that this was saved to its disk (the disk reported an error; it has been logged). It may have been done: look at the item again before you retry, and tell IT.',
          details: { notConfirmedOnDisk: true },
        },
      };
    }
  };

  const invoke: Invoke = async (channel, input, session = DEFAULT_SESSION, terminal = session) => {
    const route = typeof channel === 'string' ? routes.get(channel) : undefined;
    if (!route) {
      const owner = typeof channel === 'string' ? options.channelOwners.get(channel) : undefined;
      return owner
        ? { ok: false, error: { code: 'MODULE_DISABLED', message: `This needs the "${owner}" module, which is switched off.`, details: { module: owner } } }
        : { ok: false, error: { code: 'NOT_FOUND', message: `There is no call named "${String(channel)}".` } };
    }
    const result = await route.run(input, session, terminal);
    if (result.ok && route.kind === 'command') options.onCommandDone(channel, input, result.value);
    return result;
  };

  return { invoke, channels: [...routes.keys()], secretAnswers };
}
