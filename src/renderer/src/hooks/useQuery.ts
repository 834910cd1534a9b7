import { useCallback, useEffect, useRef, useState } from 'react';
import { useAppStore } from '../stores/appStore';

export interface QueryState<T> {
  data: T | undefined;
  error: Error | null;
  loading: boolean;
  reload(): void;
}

/**
 * Runs an API read and keeps it fresh: again when its inputs change and whenever any window
 * changes data. Keeps the previous data on screen while reloading, so lists do not flicker.
 */
export function useQuery<T>(load: () => Promise<T>, deps: readonly unknown[]): QueryState<T> {
  const changeTick = useAppStore((s) => s.changeTick);
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(true);
  const [manualTick, setManualTick] = useState(0);
  const latest = useRef(0);

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
  }, [...deps, changeTick, manualTick]);

  const reload = useCallback(() => setManualTick((t) => t + 1), []);
  return { data, error, loading, reload };
}
