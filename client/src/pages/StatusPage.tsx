import { useEffect, useState } from "react";
import { useQuery } from "urql";
import { HealthCard, type HealthView } from "../components/HealthCard.tsx";
import { graphql } from "../graphql/index.ts";

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
        const res = await fetch("/health");
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
    const timer = setInterval(load, 5_000);
    return () => {
      active = false;
      clearInterval(timer);
    };
  }, []);

  return (
    <>
      <h1>FlowTrace</h1>
      <p className="muted">Build, run and debug multi-step LLM agent workflows.</p>
      <HealthCard health={health} error={error} loading={!health && !error} />
      <footer className="muted">
        {data
          ? `v${data.version.version} (${data.version.gitSha.slice(0, 12)})`
          : gqlError
            ? `version unavailable: ${gqlError.message}`
            : ""}
      </footer>
    </>
  );
}
