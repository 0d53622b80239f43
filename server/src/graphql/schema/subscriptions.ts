/**
 * Live subscriptions (served over graphql-sse): `runEvents` replays stored events after `afterSeq`
 * then follows live, exactly once and in order, completing after `run.finished`; `runUpdated`
 * streams the run row (status, totals); `runOutput` streams ephemeral `llm.delta` text.
 */

import type { Uuid } from "../../domain/ids.ts";
import { isFinalRun } from "../../domain/run-status.ts";
import { channels, type DeltaEvent, eventsOf, TERMINAL_EVENT } from "../../domain/trace/events.ts";
import { findRun } from "../../services/run-reads.ts";
import { readTrace } from "../../trace/reader.ts";
import { builder, type GraphQLDeps } from "../builder.ts";
import { lookupId } from "../ids.ts";
import { TraceEventType } from "./run.ts";

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

const kindOf = (m: unknown) => (m as { kind?: string }).kind;

/** The run's id now and after each of its step or run events, until it ends. */
async function* runUpdates(deps: GraphQLDeps, id: Uuid | null | undefined) {
  if (!id) return;
  const current = await findRun(deps, id);
  if (!current) return;
  yield id;
  if (isFinalRun(current.status)) return;
  for await (const _ of follow(
    (cb) => deps.pubsub.subscribe(channels.events(id), (m) => eventsOf(m).forEach(cb)),
    (m) => (kindOf(m)?.startsWith("step.") || kindOf(m)?.startsWith("run.") ? m : null),
    (m) => kindOf(m) === TERMINAL_EVENT,
  )) {
    yield id;
  }
}

/** The run's live text until it ends: deltas and the terminal event arrive on two channels, merged. */
async function* runDeltas(deps: GraphQLDeps, id: Uuid | null | undefined) {
  if (!id) return;
  const run = await findRun(deps, id);
  if (!run || isFinalRun(run.status)) return;
  const merged = (cb: (m: unknown) => void) =>
    Promise.all([
      deps.pubsub.subscribe(channels.deltas(id), cb),
      deps.pubsub.subscribe(channels.events(id), (m) => {
        for (const e of eventsOf(m)) if (e.kind === TERMINAL_EVENT) cb(e);
      }),
    ]).then((subs) => async () => {
      await Promise.all(subs.map((u) => u()));
    });
  yield* follow(
    merged,
    (m) => (kindOf(m) === "llm.delta" ? (m as DeltaEvent) : null),
    (m) => kindOf(m) === TERMINAL_EVENT,
  );
}

builder.subscriptionFields((t) => ({
  runEvents: t.field({
    type: TraceEventType,
    args: { runId: t.arg.id({ required: true }).validate(lookupId), afterSeq: t.arg.int({ required: false }) },
    subscribe: async function* (_root, { runId, afterSeq }, ctx, info) {
      // The run must be the caller's project's (the live channel itself knows no project).
      if (!runId || !(await findRun(ctx.deps, runId))) return;
      const signal = (info as unknown as { signal?: AbortSignal }).signal;
      for await (const e of readTrace(ctx.deps, runId, { afterSeq: afterSeq ?? 0, ...(signal ? { signal } : {}) })) {
        // The row's database id is not streamed; TraceEvent.id is `<runId>:<seq>` for both.
        yield { ...e, id: 0n, ts: new Date(e.ts), payload: e.payload as object };
      }
    },
    resolve: (e) => e,
  }),
  runUpdated: t.prismaField({
    type: "WorkflowRun",
    args: { runId: t.arg.id({ required: true }).validate(lookupId) },
    subscribe: (_root, { runId: id }, ctx) => runUpdates(ctx.deps, id),
    resolve: async (query, runId, _args, ctx) => {
      const run = await findRun(ctx.deps, runId as unknown as Uuid, query);
      if (!run) throw new Error(`run ${runId} does not exist`);
      return run;
    },
  }),
  runOutput: t.field({
    type: Delta,
    args: { runId: t.arg.id({ required: true }).validate(lookupId) },
    subscribe: (_root, { runId: id }, ctx) => runDeltas(ctx.deps, id),
    resolve: (d) => d,
  }),
}));
