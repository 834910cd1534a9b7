import type { z } from 'zod';
import type { Result } from './errors';

/**
 * One IPC channel: a zod schema for what the caller sends and a type for what comes back.
 * The output exists only as a type (`_output` is never read at run time). A `command`
 * changes data, so windows are told to refresh after it succeeds; a `query` only reads.
 */
export interface Channel<I extends z.ZodType = z.ZodType, O = unknown> {
  kind: 'query' | 'command';
  /** Administrators only, checked in the core: changing configuration, or reading what only they may see. */
  admin?: boolean;
  /**
   * Its answer holds a secret shown once (a recovery code, an enrollment code): a site server does
   * not keep it for retries (the command log is in the database and its backups); a retry whose
   * answer was lost is told it was done.
   */
  secretAnswer?: boolean;
  input: I;
  _output?: O;
}

export const query =
  <O>() =>
  <I extends z.ZodType>(input: I): Channel<I, O> => ({ kind: 'query', input });

export const command =
  <O>() =>
  <I extends z.ZodType>(input: I): Channel<I, O> => ({ kind: 'command', input });

/** A command only an administrator may call (the core refuses anyone else with FORBIDDEN). */
export const adminCommand =
  <O>() =>
  <I extends z.ZodType>(input: I): Channel<I, O> => ({ kind: 'command', admin: true, input });

/** A query only an administrator may call (configuration and backups; the core refuses anyone else). */
export const adminQuery =
  <O>() =>
  <I extends z.ZodType>(input: I): Channel<I, O> => ({ kind: 'query', admin: true, input });

/** Marks a channel whose answer is a secret shown once (see Channel.secretAnswer). */
export const secretAnswer = <C extends Channel>(channel: C): C => ({ ...channel, secretAnswer: true });

export type ChannelMap = Record<string, Channel>;
export type InputOf<C> = C extends Channel<infer I, unknown> ? z.input<I> : never;
export type ParsedInputOf<C> = C extends Channel<infer I, unknown> ? z.output<I> : never;
export type OutputOf<C> = C extends Channel<z.ZodType, infer O> ? O : never;

/** What the renderer sees: one async function per channel, resolving to data or an error as data. */
export type ApiOf<M extends ChannelMap> = {
  [K in keyof M]: (input: InputOf<M[K]>) => Promise<Result<OutputOf<M[K]>>>;
};
