/**
 * Live subscriptions (served over graphql-sse): `runEvents` replays stored events after `afterSeq`
 * then follows live, exactly once and in order, completing after `run.finished`; `runUpdated`
 * streams the run row (status, totals); `runOutput` streams ephemeral `llm.delta` text.
 */
import { channels, type DeltaEvent, eventsOf, TERMINAL_EVENT } from "../../domain/trace/events.ts";
import { findRun } from "../../services/run-reads.ts";
import { isUuid } from "../../services/workflows.ts";
import { readTrace } from "../../trace/reader.ts";
import { builder } from "../builder.ts";

interface LiveEvent {
  id: string;
  runId: string;
  stepId: string | null;
  seq: number;
  ts: Date;
  kind: string;
  payload: unknown;
}

const LiveTraceEvent = builder.objectRef<LiveEvent>("RunEvent").implement({
  description: "A trace event as streamed by runEvents (same fields as TraceEvent).",
  fields: (t) => ({
    id: t.exposeID("id", { description: "`<runId>:<seq>`" }),
    runId: t.exposeID("runId"),
    stepId: t.exposeID("stepId", { nullable: true }),
    seq: t.exposeInt("seq"),
    ts: t.expose("ts", { type: "DateTime" }),
    kind: t.exposeString("kind"),
    payload: t.expose("payload", { type: "JSON" }),
  }),
});

const Delta = builder.objectRef<DeltaEvent>("OutputDelta").implement({
  description: "A piece of streamed LLM output (ephemeral: never stored, no seq).",
  fields: (t) => ({
    runId: t.exposeID("runId"),
    stepId: t.exposeID("stepId"),
    ts: t.exposeString("ts"),
    text: t.exposeString("text"),
  }),
});

/** Yields a value each time `channel` publishes, until `stop` says so or the client leaves. */
async function* follow<T>(
  subscribe: (cb: (m: unknown) => void) => Promise<() => Promise<void>>,
  map: (m: unknown) => T | null,
  done: (m: unknown) => boolean,
  signal?: AbortSignal,
): AsyncGenerator<T> {
  const queue: unknown[] = [];
  let wake: (() => void) | null = null;
  const unsubscribe = await subscribe((m) => {
    queue.push(m);
    wake?.();
  });
  try {
    for (;;) {
      if (signal?.aborted) return;
      const m = queue.shift();
      if (m === undefined) {
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 1_000).unref();
        });
        wake = null;
        continue;
      }
      const value = map(m);
      if (value !== null) yield value;
      if (done(m)) return;
    }
  } finally {
    await unsubscribe();
  }
}

builder.subscriptionFields((t) => ({
  runEvents: t.field({
    type: LiveTraceEvent,
    args: { runId: t.arg.id({ required: true }), afterSeq: t.arg.int({ required: false }) },
    subscribe: async function* (_root, { runId, afterSeq }, ctx, info) {
      if (!isUuid(String(runId))) return;
      const signal = (info as unknown as { signal?: AbortSignal }).signal;
      for await (const e of readTrace(ctx.deps, String(runId), {
        afterSeq: afterSeq ?? 0,
        ...(signal ? { signal } : {}),
      })) {
        yield { ...e, id: `${e.runId}:${e.seq}`, ts: new Date(e.ts) } satisfies LiveEvent;
      }
    },
    resolve: (e) => e,
  }),
  runUpdated: t.prismaField({
    type: "WorkflowRun",
    args: { runId: t.arg.id({ required: true }) },
    subscribe: async function* (_root, { runId }, ctx) {
      const id = String(runId);
      if (!isUuid(id)) return;
      const current = await findRun(ctx.deps, id);
      if (!current) return;
      yield id;
      if (["succeeded", "failed", "canceled"].includes(current.status)) return;
      for await (const _ of follow(
        (cb) => ctx.deps.pubsub.subscribe(channels.events(id), (m) => eventsOf(m).forEach(cb)),
        (m) =>
          (m as { kind?: string }).kind?.startsWith("step.") || (m as { kind?: string }).kind?.startsWith("run.")
            ? m
            : null,
        (m) => (m as { kind?: string }).kind === TERMINAL_EVENT,
      )) {
        yield id;
      }
    },
    resolve: async (query, runId, _args, ctx) => {
      const run = await findRun(ctx.deps, runId as unknown as string, query);
      if (!run) throw new Error(`run ${runId} does not exist`);
      return run;
    },
  }),
  runOutput: t.field({
    type: Delta,
    args: { runId: t.arg.id({ required: true }) },
    subscribe: async function* (_root, { runId }, ctx) {
      const id = String(runId);
      if (!isUuid(id)) return;
      const run = await findRun(ctx.deps, id);
      if (!run || ["succeeded", "failed", "canceled"].includes(run.status)) return;
      // Deltas and the terminal event arrive on two channels; merge them into one stream.
      const merged = (cb: (m: unknown) => void) =>
        Promise.all([
          ctx.deps.pubsub.subscribe(channels.deltas(id), cb),
          ctx.deps.pubsub.subscribe(channels.events(id), (m) => {
            for (const e of eventsOf(m)) if (e.kind === TERMINAL_EVENT) cb(e);
          }),
        ]).then((subs) => async () => {
          await Promise.all(subs.map((u) => u()));
        });
      yield* follow(
        merged,
        (m) => ((m as { kind?: string }).kind === "llm.delta" ? (m as DeltaEvent) : null),
        (m) => (m as { kind?: string }).kind === TERMINAL_EVENT,
      );
    },
    resolve: (d) => d,
  }),
}));
