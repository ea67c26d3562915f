// A small loader shared by the list hooks: fetches on mount and whenever
// `key` or the app's data version changes; keeps the last good value while
// reloading; reports errors once through the notifier.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useBackend, useNotifier } from '../context';

export interface Resource<T> {
  data: T;
  loading: boolean;
  error: string | null;
  reload(): void;
  setData(update: (prev: T) => T): void;
}

export function useResource<T>(load: () => Promise<T>, initial: T, key: string, what: string): Resource<T> {
  const { dataVersion } = useBackend();
  const { notifyError } = useNotifier();
  const [data, setDataState] = useState<T>(initial);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    loadRef
      .current()
      .then((value) => {
        if (cancelled) return;
        setDataState(value);
        setError(null);
      })
      .catch((e: unknown) => {
        if (cancelled) return;
        const msg = e instanceof Error ? e.message : String(e);
        setError(msg);
        notifyError(e, `Could not load ${what}`);
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [key, dataVersion, tick, notifyError, what]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  const setData = useCallback((update: (prev: T) => T) => setDataState(update), []);
  return { data, loading, error, reload, setData };
}
