/**
 * OpenTelemetry and Prometheus against real parts: spans exported by the official OTLP exporter to a
 * real receiver decoding protobuf with the opentelemetry-proto definitions (and JSON), checked
 * against the run's own steps; `/metrics` parsed with a Prometheus text-format parser and checked
 * against the runs executed.
 */

import { spawnSync } from "node:child_process";
import http from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from "../../test/helpers/otlp.ts";
import { finishedRun, restClient } from "../../test/helpers/rest.ts";
import { type Stack, startStack } from "../../test/helpers/stack.ts";
import { chainOf, llmNode } from "../../test/helpers/workflows.ts";

const require = createRequire(import.meta.url);
const parsePrometheus = require("parse-prometheus-text-format") as (text: string) => {
  name: string;
  type: string;
  metrics: { labels?: Record<string, string>; value?: string; buckets?: Record<string, string>; count?: string }[];
}[];

const CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN = "00f067aa0ba902b7";
const SECRET = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD";

let receiver: OtlpReceiver;
let stack: Stack;
let call: ReturnType<typeof restClient>;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  stack = await startStack({
    latencyMs: 2,
    otel: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: "flowtrace-test",
      OTEL_RESOURCE_ATTRIBUTES: "deployment.environment=test",
      FLOWTRACE_OTEL_CAPTURE_CONTENT: "1",
      OTEL_BSP_EXPORT_TIMEOUT: "2000",
    },
  });
  call = restClient(() => stack.url);
});
afterAll(async () => {
  await stack?.close();
  await receiver?.close();
});

async function runWith(
  doc: object,
  headers: Record<string, string> = {},
  inputVars: object = { topic: "otters" },
  waitForSpans = true,
) {
  const { body: wf } = await call("POST", "/api/workflows", { name: "traced flow", graph_json: doc });
  const started = await call("POST", `/api/workflows/${wf.id}/runs`, { input_vars: inputVars }, headers);
  expect(started.status).toBe(202);
  const run = waitForSpans
    ? await settled(call, started.body.runId, { rx: receiver, stack })
    : await finishedRun(call, started.body.runId);
  return run;
}

/**
 * The run has ended and its run span reached the receiver (the span is built when telemetry sees the
 * stored `run.finished`, a moment after readers can): flush until it is there.
 */
async function settled(
  client: ReturnType<typeof restClient>,
  runId: string,
  target: { rx: OtlpReceiver; stack: Stack },
) {
  const run = await finishedRun(client, runId);
  for (let i = 0; i < 200; i++) {
    await target.stack.telemetry.flush();
    if (target.rx.spans.some((s) => s.attributes["flowtrace.run.id"] === runId)) return run;
    await new Promise((r) => setTimeout(r, 25));
  }
  return run;
}

const byName = (spans: ReceivedSpan[], name: string) => spans.filter((s) => s.name === name);

describe("OpenTelemetry spans", () => {
  it("a run started with a traceparent is a child of the caller's span, with step and attempt spans and their usage", async () => {
    const doc = chainOf([
      llmNode("draft"),
      llmNode("polish", { provider: "anthropic", model: "claude-3-5-haiku-20241022" }, { after: "draft" }),
    ]);
    const run = await runWith(doc, { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`, tracestate: "vendor=x" });
    const spans = receiver.spans.filter((s) => s.traceId === CALLER_TRACE);
    const [root] = byName(spans, "invoke_workflow traced flow");
    expect(root).toBeDefined();
    expect(root?.parentSpanId).toBe(CALLER_SPAN);
    expect(root?.attributes).toMatchObject({
      "gen_ai.operation.name": "invoke_workflow",
      "gen_ai.workflow.name": "traced flow",
      "flowtrace.run.id": run.id,
      "flowtrace.workflow.version": 1,
      "flowtrace.run.status": "succeeded",
    });
    expect(root?.attributes["flowtrace.cost.usd"]).toBeCloseTo(Number(run.total_cost_cents) / 100, 12);
    expect(root?.resource).toMatchObject({ "service.name": "flowtrace-test", "deployment.environment": "test" });

    for (const step of run.steps as {
      id: string;
      node_id: string;
      tokens_input: number;
      tokens_output: number;
      cost_cents: string;
    }[]) {
      const stepSpan = spans.find((s) => s.attributes["flowtrace.step.id"] === step.id);
      expect(stepSpan?.parentSpanId, step.node_id).toBe(root?.spanId);
      const attempts = spans.filter((s) => s.parentSpanId === stepSpan?.spanId);
      expect(attempts).toHaveLength(1);
      const chat = attempts[0] as ReceivedSpan;
      expect(chat.kind).toBe(3); // CLIENT
      expect(chat.attributes["gen_ai.usage.input_tokens"]).toBe(step.tokens_input);
      expect(chat.attributes["gen_ai.usage.output_tokens"]).toBe(step.tokens_output);
      expect(chat.attributes["flowtrace.cost.usd"]).toBeCloseTo(Number(step.cost_cents) / 100, 12);
      expect(chat.startMs).toBeGreaterThanOrEqual(stepSpan?.startMs ?? 0);
    }
    const claude = spans.find((s) => s.name === "chat claude-3-5-haiku-20241022");
    expect(claude?.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "anthropic",
      "gen_ai.request.model": "claude-3-5-haiku-20241022",
      "gen_ai.response.finish_reasons": ["end_turn"],
    });
    // The provider saw the attempt span as its parent.
    const seen = stack.sim.calls
      .filter((c) => c.traceparent?.includes(CALLER_TRACE))
      .map((c) => c.traceparent?.split("-")[2]);
    expect(seen.sort()).toEqual(
      spans
        .filter((s) => s.kind === 3)
        .map((s) => s.spanId)
        .sort(),
    );
    expect(receiver.contentTypes.every((t) => t === "application/x-protobuf")).toBe(true);
  });

  it("a failed attempt is a failed CLIENT span with error.type, the retry an event on its step", async () => {
    const doc = chainOf([llmNode("flaky", { fault: "status=500;count=1", system: "flaky one" })]);
    const run = await runWith(doc);
    const step = run.steps[0] as { id: string };
    const stepSpan = receiver.spans.find((s) => s.attributes["flowtrace.step.id"] === step.id) as ReceivedSpan;
    const attempts = receiver.spans
      .filter((s) => s.parentSpanId === stepSpan.spanId)
      .sort((a, b) => a.startMs - b.startMs);
    expect(attempts.map((a) => [a.status.code, a.attributes["error.type"] ?? null])).toEqual([
      [2, "server"],
      [0, null],
    ]);
    expect(stepSpan.events.map((e) => e.name)).toEqual(["retry"]);
  });

  it("captures content only when asked, scrubbed of secrets", async () => {
    const run = await runWith(chainOf([llmNode("leak")]), {}, { topic: `my key is ${SECRET}` });
    const spans = receiver.spans.filter(
      (s) =>
        s.attributes["flowtrace.run.id"] === run.id ||
        s.traceId === receiver.spans.find((r) => r.attributes["flowtrace.run.id"] === run.id)?.traceId,
    );
    const chat = spans.find((s) => s.kind === 3) as ReceivedSpan;
    expect(String(chat.attributes["gen_ai.input.messages"])).toContain("my key is");
    expect(JSON.stringify(receiver.spans)).not.toContain(SECRET);
  });
});

describe("GraphQL", () => {
  it("startRun with a traceparent header makes the run a child of the caller's span", async () => {
    const { body: wf } = await call("POST", "/api/workflows", {
      name: "graphql traced",
      graph_json: chainOf([llmNode("g")]),
    });
    const trace = "0af7651916cd43dd8448eb211c80319c";
    const res = await fetch(`${stack.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", traceparent: `00-${trace}-b7ad6b7169203331-01` },
      body: JSON.stringify({
        query: "mutation($w: ID!) { startRun(workflowId: $w) { ... on Run { id } } }",
        variables: { w: wf.id },
      }),
    });
    const runId = ((await res.json()) as { data: { startRun: { id: string } } }).data.startRun.id;
    await settled(call, runId, { rx: receiver, stack });
    const root = receiver.spans.find((s) => s.attributes["flowtrace.run.id"] === runId);
    expect(root).toMatchObject({
      traceId: trace,
      parentSpanId: "b7ad6b7169203331",
      name: "invoke_workflow graphql traced",
    });
  });
});

describe("an agent step", () => {
  it("is an invoke_agent span with a chat span per model call and an execute_tool span per tool call", async () => {
    const doc = {
      version: "1",
      entry: "agent",
      nodes: [
        {
          id: "agent",
          type: "agent",
          name: "Agent",
          config: {
            provider: "openai",
            model: "gpt-4o-mini",
            prompt: 'Use transform upper "a" and csv_parse "x,y"',
            tools: [{ tool: "transform" }, { tool: "csv.parse" }],
            cache: false,
          },
        },
      ],
      edges: [],
    };
    const run = await runWith(doc);
    expect(run.status, run.error_summary).toBe("succeeded");
    const step = run.steps[0] as { id: string };
    const stepSpan = receiver.spans.find((s) => s.attributes["flowtrace.step.id"] === step.id) as ReceivedSpan;
    expect(stepSpan.name).toBe("invoke_agent agent");
    expect(stepSpan.attributes).toMatchObject({
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.agent.name": "agent",
    });
    const children = () => receiver.spans.filter((s) => s.parentSpanId === stepSpan.spanId);
    // Spans of one run may reach the receiver in several exports: wait for all five.
    for (let i = 0; i < 100 && children().length < 4; i++) {
      await stack.telemetry.flush();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(children().filter((s) => s.name === "chat gpt-4o-mini")).toHaveLength(2);
    const tools = children().filter((s) => s.name.startsWith("execute_tool "));
    expect(tools.map((s) => s.name).sort()).toEqual(["execute_tool csv.parse", "execute_tool transform"]);
    expect(tools.map((s) => s.attributes["gen_ai.tool.call.id"])).toEqual([
      expect.stringMatching(/^call_/),
      expect.stringMatching(/^call_/),
    ]);
    expect(tools.every((s) => s.attributes["gen_ai.operation.name"] === "execute_tool")).toBe(true);
  });
});

describe("a tool step", () => {
  it("is an execute_tool span, and http.fetch sends its traceparent", async () => {
    const seen: (string | undefined)[] = [];
    const target = http.createServer((req, res) => {
      seen.push(req.headers.traceparent as string | undefined);
      res.writeHead(200, { "content-type": "text/plain" }).end("hello");
    });
    await new Promise<void>((r) => target.listen(0, "127.0.0.1", () => r()));
    const port = (target.address() as AddressInfo).port;
    (stack.engine.fetchAllow as string[]).push(`127.0.0.1:${port}`);
    try {
      const doc = {
        version: "1",
        entry: "get",
        nodes: [{ id: "get", type: "tool", name: "FetchDocs", config: { url: `http://127.0.0.1:${port}/page` } }],
        edges: [],
      };
      const run = await runWith(doc);
      expect(run.status).toBe("succeeded");
      const step = run.steps[0] as { id: string };
      const span = receiver.spans.find((s) => s.attributes["flowtrace.step.id"] === step.id) as ReceivedSpan;
      expect(span.name).toBe("execute_tool http.fetch");
      expect(span.attributes).toMatchObject({
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": "http.fetch",
      });
      expect(seen).toEqual([`00-${span.traceId}-${span.spanId}-01`]);
    } finally {
      await new Promise<void>((r) => target.close(() => r()));
    }
  });
});

describe("Prometheus metrics", () => {
  it("/metrics passes `promtool check metrics` (Prometheus' own linter)", async () => {
    // Debian's `prometheus` package ships promtool; .ci/run installs it like Chromium.
    const promtool = spawnSync("promtool", ["--version"]);
    expect(promtool.error, "promtool is missing: apt-get install prometheus").toBeUndefined();
    const text = await (await fetch(`${stack.url}/metrics`)).text();
    expect(text).toMatch(/^flowtrace_runs_total\{/m);
    const check = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
    expect(`${check.stdout}${check.stderr}`).toBe("");
    expect(check.status).toBe(0);
  });

  it("/metrics counts what the runs did", async () => {
    const res = await fetch(`${stack.url}/metrics`);
    expect(res.status).toBe(200);
    const families = parsePrometheus(await res.text());
    const family = (name: string) => families.find((f) => f.name === name);
    const runs = await stack.prisma.workflowRun.findMany({ include: { steps: true } });
    const succeeded = runs.filter((r) => r.status === "succeeded").length;
    // Each series carries its run's project (by name: operators read it; no ids in labels).
    const succeededSeries = family("flowtrace_runs_total")?.metrics.find((m) => m.labels?.status === "succeeded");
    expect(succeededSeries?.labels?.project).toBe("default");
    expect(succeededSeries?.value).toBe(String(succeeded));
    const tokens = (family("flowtrace_llm_tokens_total")?.metrics ?? [])
      .filter((m) => m.labels?.kind === "output")
      .reduce((a, m) => a + Number(m.value), 0);
    const stepOutput = runs.flatMap((r) => r.steps).reduce((a, s) => a + s.tokensOutput, 0);
    expect(tokens).toBe(stepOutput);
    expect(Number(family("flowtrace_retries_total")?.metrics[0]?.value)).toBeGreaterThanOrEqual(1);
    expect(family("flowtrace_step_duration_seconds")?.type).toBe("HISTOGRAM");
    // The text parser folds a labelled histogram's series together; its counts are read from the registry.
    const histogram = (await stack.telemetry.metrics.registry.getMetricsAsJSON()).find(
      (m) => m.name === "flowtrace_step_duration_seconds",
    );
    const llmCount = histogram?.values.find(
      (v) =>
        (v as { metricName?: string }).metricName === "flowtrace_step_duration_seconds_count" &&
        v.labels.node_type === "llm" &&
        v.labels.status === "succeeded",
    );
    const llmSteps = runs.flatMap((r) => r.steps).filter((s) => s.status === "succeeded" && s.nodeType === "llm");
    expect(llmCount?.value).toBe(llmSteps.length);
    expect(family("flowtrace_runs_in_progress")?.metrics[0]?.value).toBe("0");
    expect(family("flowtrace_queue_jobs")).toBeDefined();
    expect(family("process_cpu_seconds_total")).toBeDefined();
    for (const f of families)
      for (const m of f.metrics) expect(Object.values(m.labels ?? {}).join()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it("a collector that refuses exports costs the run nothing and is counted as dropped spans", async () => {
    receiver.failWith = 503;
    let text = "";
    try {
      const run = await runWith(
        chainOf([llmNode("dropped", { system: "while the collector is down" })]),
        {},
        undefined,
        false,
      );
      expect(run.status).toBe("succeeded");
      // The run's spans are assembled a moment after run.finished; poll for up to 15 s, not 40 quick
      // rounds (on a loaded machine those can all pass before the spans exist).
      for (const until = Date.now() + 15_000; Date.now() < until; ) {
        await stack.telemetry.flush();
        text = await (await fetch(`${stack.url}/metrics`)).text();
        if (/flowtrace_otel_spans_dropped_total [3-9]/.test(text)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      receiver.failWith = null;
    }
    const dropped = parsePrometheus(text).find((f) => f.name === "flowtrace_otel_spans_dropped_total");
    expect(Number(dropped?.metrics[0]?.value)).toBeGreaterThanOrEqual(3);
  });
});

describe("OTLP over http/json", () => {
  it("exports the same spans as JSON when OTEL_EXPORTER_OTLP_PROTOCOL=http/json", async () => {
    const json = await startOtlpReceiver();
    const other = await startStack({
      latencyMs: 0,
      otel: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${json.url}/v1/traces`, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" },
    });
    try {
      const client = restClient(() => other.url);
      const { body: wf } = await client("POST", "/api/workflows", {
        name: "json flow",
        graph_json: chainOf([llmNode("a")]),
      });
      const started = await client("POST", `/api/workflows/${wf.id}/runs`, { input_vars: { topic: "json" } });
      const run = await settled(client, started.body.runId, { rx: json, stack: other });
      expect(json.contentTypes.every((t) => t.startsWith("application/json"))).toBe(true);
      const root = json.spans.find((s) => s.name === "invoke_workflow json flow");
      expect(root?.attributes["flowtrace.run.id"]).toBe(run.id);
      expect(root?.parentSpanId).toBe("");
      expect(
        json.spans
          .filter((s) => s.traceId === root?.traceId)
          .map((s) => s.name)
          .sort(),
      ).toEqual(["chat gpt-4o-mini", "invoke_workflow json flow", "llm a"]);
    } finally {
      await other.close();
      await json.close();
    }
  });
});
