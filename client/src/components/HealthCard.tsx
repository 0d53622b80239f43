export interface HealthView {
  status: "ok" | "unavailable";
  db: string;
  queue: string;
  errors?: { db?: string; queue?: string };
}

/** Presentational: shows the server's /health report. */
export function HealthCard(props: { health: HealthView | null; error: string | null; loading: boolean }) {
  if (props.loading) return <section className="card muted">Checking server health…</section>;
  if (props.error) {
    return (
      <section className="card error" role="alert">
        Cannot reach the FlowTrace server: {props.error}
      </section>
    );
  }
  const h = props.health;
  if (!h) return null;
  return (
    <section className={`card ${h.status === "ok" ? "" : "error"}`} aria-label="Server health">
      <h2>Server {h.status === "ok" ? "healthy" : "degraded"}</h2>
      <dl>
        <dt>Database</dt>
        <dd data-testid="health-db">{h.db}</dd>
        <dt>Queue</dt>
        <dd data-testid="health-queue">{h.queue}</dd>
      </dl>
      {h.errors?.db && <p className="error">{h.errors.db}</p>}
      {h.errors?.queue && <p className="error">{h.errors.queue}</p>}
    </section>
  );
}
