import { useEffect, useState } from "react";
import { useQuery } from "urql";
import { HealthCard, type HealthView } from "../../components/HealthCard.tsx";
import { graphql } from "../../graphql/index.ts";
import { authHeaders } from "../../lib/auth.ts";
import { describeError } from "../../lib/errors.ts";

const VersionQuery = graphql(`
  query Version {
    version {
      name
      version
      gitSha
    }
  }
`);

export function StatusPage() {
  const [{ data, error: gqlError }] = useQuery({ query: VersionQuery });
  const [health, setHealth] = useState<HealthView | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let active = true;
    const load = async () => {
      try {
        const res = await fetch("/health", { headers: authHeaders() });
        const body = (await res.json()) as HealthView;
        if (active) {
          setHealth(body);
          setError(null);
        }
      } catch (e) {
        if (active) setError(e instanceof Error ? e.message : String(e));
      }
    };
    void load();
    const timer = setInterval(load, 15_000);
    return () => {
      active = false;
      clearInterval(timer);
    };
  }, []);

  return (
    <>
      <HealthCard health={health} error={error} loading={!health && !error} />
      <footer className="muted">
        {data
          ? `v${data.version.version} (${data.version.gitSha.slice(0, 12)})`
          : gqlError
            ? `version unavailable: ${describeError(gqlError)}`
            : ""}
      </footer>
    </>
  );
}
