import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import { useAppStore } from '../stores/appStore';
import { touches } from '../stores/changes';

export interface QueryState<T> {
  data: T | undefined;
  error: Error | null;
  loading: boolean;
  /** The data is the last that could be read: the site server cannot be reached now. */
  stale: boolean;
  reload(): void;
}

export interface QueryOptions {
  /**
   * The work items this view shows (an item's page): it re-reads only when a change touches one of
   * them, or cannot say which it touched. Without it, it re-reads on every change.
   */
  items?: readonly number[];
}

/**
 * Runs an API read and keeps it fresh: again when its inputs change and whenever a change may
 * affect it. Keeps the previous data on screen while reloading and when a read fails, so lists
 * neither flicker nor blank while the site server is unreachable.
 */
export function useQuery<T>(load: () => Promise<T>, deps: readonly unknown[], options: QueryOptions = {}): QueryState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  const itemsKey = options.items ? options.items.join(',') : null;

  useEffect(
    () =>
      useAppStore.subscribe((state, previous) => {
        if (state.changeTick === previous.changeTick) return;
        const shown = itemsKey === null ? null : itemsKey.split(',').filter(Boolean).map(Number);
        if (shown === null || touches(state.changedItems, shown)) setTick((t) => t + 1);
      }),
    [itemsKey],
  );

  useEffect(() => {
    const ticket = ++latest.current;
    setLoading(true);
    load().then(
      (value) => {
        if (ticket !== latest.current) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (err: Error) => {
        if (ticket !== latest.current) return;
        setError(err);
        setLoading(false);
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  const stale = data !== undefined && error instanceof ApiError && error.code === 'UNREACHABLE';
  return { data, error, loading, stale, reload };
}
