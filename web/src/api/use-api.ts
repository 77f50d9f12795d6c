/** Loads data for a screen; loads it again when its inputs change or after any write. */
import { useEffect, useState } from 'react';
import { onDataChanged } from './client.ts';

export type Loaded<T> = { data: T; error: null; loading: false } | { data: T | undefined; error: Error | null; loading: boolean };

export function useApi<T>(load: (() => Promise<T>) | null, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: Error | null; loading: boolean }>({ data: undefined, error: null, loading: load !== null });
  const [version, setVersion] = useState(0);
  useEffect(() => onDataChanged(() => setVersion((v) => v + 1)), []);
  useEffect(() => {
    if (!load) {
      setState({ data: undefined, error: null, loading: false });
      return;
    }
    let live = true;
    setState((s) => ({ data: s.data, error: null, loading: true }));
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: Error) => live && setState({ data: undefined, error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, version]);
  return state as Loaded<T>;
}
