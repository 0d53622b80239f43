/**
 * Child process of `live.bench.ts`: the live subscribers, kept off the API server's process (as
 * browsers would be). Opens N REST SSE or graphql-sse subscriptions to one run, reports "ready",
 * then measures each `log` event's delay from the `t` it carries (wall clock, shared by both
 * processes) and sends every latency back once all clients saw `run.finished`. Also times full
 * replays of a finished run's stream, as a client would receive them.
 */
import { createClient } from "graphql-sse";
import { traceEvents } from "../server/src/http/sse-client.ts";

interface Job {
  base: string;
  runId: string;
  kind: "sse" | "graphql";
  subscribers: number;
}
/** The bench stamps each `log` event's message with the time it was emitted (ms since the epoch). */
type TraceEvent = { kind: string; payload: { message?: string } };

const now = () => performance.timeOrigin + performance.now();

function subscribe(job: Job, onEvent: (e: TraceEvent) => boolean, onReady: () => void): Promise<void> {
  if (job.kind === "sse") {
    return fetch(`${job.base}/api/runs/${job.runId}/stream`).then(async (res) => {
      onReady();
      for await (const e of traceEvents(res)) if (onEvent(e as TraceEvent)) return;
    });
  }
  const gql = createClient({ url: `${job.base}/graphql/stream` });
  return (async () => {
    const it = gql.iterate<{ runEvents: TraceEvent }>({
      query: "subscription($r: ID!) { runEvents(runId: $r) { kind payload } }",
      variables: { r: job.runId },
    });
    onReady();
    for await (const r of it) if (r.data && onEvent(r.data.runEvents)) break;
    gql.dispose();
  })();
}

async function runJob(job: Job) {
  const latencies: number[] = [];
  let ready = 0;
  const onEvent = (e: TraceEvent) => {
    if (e.kind === "log" && e.payload.message) latencies.push(now() - Number(e.payload.message));
    return e.kind === "run.finished";
  };
  const clients = Array.from({ length: job.subscribers }, () => subscribe(job, onEvent, () => ready++));
  while (ready < job.subscribers) await new Promise((r) => setTimeout(r, 20));
  process.send?.({ type: "ready" });
  await Promise.race([Promise.all(clients), new Promise((r) => setTimeout(r, 60_000))]);
  process.send?.({ type: "done", latencies });
}

/** A full replay of a finished run's SSE stream, `times` times: how long each took to the last byte. */
async function replay(url: string, times: number) {
  const durations: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    await (await fetch(url)).arrayBuffer();
    durations.push(performance.now() - t);
  }
  process.send?.({ type: "replayed", durations });
}

process.on("message", (m: Job | { type: "replay"; url: string; times: number }) => {
  if ("type" in m) void replay(m.url, m.times);
  else void runJob(m);
});
process.on("disconnect", () => process.exit(0));
