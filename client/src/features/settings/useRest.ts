/** A REST read that can be asked again (after a change), with its loading and error states. */
import { useCallback, useEffect, useState } from "react";
import { rest } from "../../lib/rest.ts";

export function useRest<T>(path: string | null): { data: T | null; error: string | null; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version asks for a fresh answer
  useEffect(() => {
    if (!path) return;
    let live = true;
    rest<T>("GET", path)
      .then((d) => {
        if (!live) return;
        setData(d);
        setError(null);
      })
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [path, version]);
  return { data, error, reload: useCallback(() => setVersion((v) => v + 1), []) };
}

/** Run a change; its error message, or null. */
export async function attempt(change: () => Promise<unknown>): Promise<string | null> {
  try {
    await change();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
