/**
 * Reading a REST resource in a component: loading, error, the last answer, a reload, and polling
 * while `keepPolling(answer)` says so (an experiment's progress). urql serves GraphQL only; this is
 * the few lines it takes for REST reads, with no cache to keep in step.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { rest } from "../../lib/rest.ts";

export interface RestQuery<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  reload: () => void;
}

export function useRest<T>(
  path: string | null,
  options: { keepPolling?: (data: T) => boolean; everyMs?: number } = {},
): RestQuery<T> {
  const [state, setState] = useState<{ data: T | null; error: Error | null; loading: boolean }>({
    data: null,
    error: null,
    loading: path !== null,
  });
  const [tick, setTick] = useState(0);
  const keepPolling = useRef(options.keepPolling);
  keepPolling.current = options.keepPolling;
  const everyMs = options.everyMs ?? 1000;

  // biome-ignore lint/correctness/useExhaustiveDependencies: tick is how reload() asks for the resource again
  useEffect(() => {
    if (path === null) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const data = await rest<T>("GET", path);
        if (!live) return;
        setState({ data, error: null, loading: false });
        if (keepPolling.current?.(data)) timer = setTimeout(load, everyMs);
      } catch (error) {
        // A failed refresh keeps the last answer on screen, with the error beside it.
        if (live) setState((s) => ({ ...s, error: error as Error, loading: false }));
        if (live && keepPolling.current) timer = setTimeout(load, everyMs * 2);
      }
    };
    void load();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [path, tick, everyMs]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
