import { useCallback, useEffect, useRef, useState } from "react";

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
  /** Replace the data after a write answered with the new state (no extra round trip). */
  setData(update: T | ((current: T | undefined) => T)): void;
}

/**
 * Loads data for a view and reloads it when `deps` change; a newer load cancels an older one,
 * so a quick change of filters never shows stale answers.
 */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): Resource<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ data: s.data, error: undefined, loading: true }));
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState((s) => ({ data: s.data, error, loading: false }));
      },
    );
    return () => controller.abort();
    // The caller lists what the load depends on, as with useEffect.
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const setData = useCallback((update: T | ((current: T | undefined) => T)) => {
    setState((s) => ({ ...s, data: typeof update === "function" ? (update as (c: T | undefined) => T)(s.data) : update }));
  }, []);
  return { ...state, reload, setData };
}
