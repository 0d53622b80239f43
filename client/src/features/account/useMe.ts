/** Who this browser is (`GET /api/auth/me`): signed in or not, how to sign in, and its projects. */
import type { Me } from "@flowtrace/contract/access";
import { useCallback, useEffect, useState } from "react";
import { rest } from "../../lib/rest.ts";

export function useMe(): { me: Me | null; error: Error | null; reload: () => void } {
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [version, setVersion] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version asks for a fresh answer
  useEffect(() => {
    let live = true;
    rest<Me>("GET", "/auth/me")
      .then((m) => {
        if (!live) return;
        setMe(m);
        setError(null);
      })
      .catch((e: Error) => live && setError(e));
    return () => {
      live = false;
    };
  }, [version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { me, error, reload };
}
