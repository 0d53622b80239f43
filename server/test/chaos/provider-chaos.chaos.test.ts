/**
 * Provider chaos: 200 runs of the two demo flows while 30% of provider calls fail transiently —
 * 429 with retry-after, 500, 529 overloaded, client-side timeouts, connection resets, streams cut
 * mid-answer and malformed bodies — spread over both vendors. At least 99% of runs succeed through
 * retries, fallbacks and the chain's second pass; every failure says what happened in words a human
 * can act on; totals still equal the sum of their steps.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoCsv, demoResearch } from "../../src/domain/workflow/examples.ts";
import type { Fault } from "../../src/providers/simulator/simulator.ts";
import { type Stack, startStack } from "../helpers/stack.ts";
import { waitAllFinished } from "./harness.ts";

const RUNS = 200;
const FAULT_RATE = 0.3;
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ concurrency: 12, allowSelfFetch: true });
});
afterAll(async () => {
  await stack?.close();
});

/** The demo flow with its LLM calls uncached (every run really calls) and a 400 ms client timeout. */
function chaosCopy(graph: { nodes: { type: string; config: Record<string, unknown> }[] }) {
  return {
    ...graph,
    nodes: graph.nodes.map((n) =>
      n.type === "llm" ? { ...n, config: { ...n.config, cache: false, timeoutMs: 400 } } : n,
    ),
  };
}

describe("provider chaos", () => {
  it(`≥ 99% of ${RUNS} demo runs succeed with ${FAULT_RATE * 100}% transient provider faults`, async () => {
    const kinds: Fault[] = [
      { kind: "status", status: 429, retryAfterSeconds: 0.1 },
      { kind: "status", status: 500 },
      { kind: "status", status: 529 },
      { kind: "timeout", hangMs: 1_500 },
      { kind: "reset" },
      { kind: "stream_cut" },
      { kind: "malformed" },
    ];
    // Independent checks in sequence: 1 - (1 - p)^7 = 30%.
    const p = 1 - (1 - FAULT_RATE) ** (1 / kinds.length);
    stack.sim.setFaults(kinds.map((f) => ({ ...f, probability: p })));

    const flows = [chaosCopy(demoResearch(stack.url)), chaosCopy(demoCsv(stack.url))];
    const workflowIds: string[] = [];
    for (const [i, graph] of flows.entries()) {
      const res = await fetch(`${stack.url}/api/workflows`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: `chaos demo ${i}`, graph_json: graph }),
      });
      expect(res.status).toBe(201);
      workflowIds.push(((await res.json()) as { id: string }).id);
    }
    const runIds: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      const res = await fetch(`${stack.url}/api/workflows/${workflowIds[i % 2]}/runs`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ input_vars: { n: i } }),
      });
      expect(res.status).toBe(202);
      runIds.push(((await res.json()) as { runId: string }).runId);
    }
    const runs = await waitAllFinished(stack.prisma, runIds, 200_000);

    const failed = runs.filter((r) => r.status !== "succeeded");
    for (const r of failed) {
      // A cause a human can act on: which provider, what happened — never an internal error.
      expect(r.errorSummary ?? "").toMatch(/openai|anthropic|timed out|status|rate|overload|connection|malformed/i);
      expect(r.errorSummary ?? "").not.toMatch(/internal error|undefined|\[object/i);
    }
    expect(failed.length / RUNS).toBeLessThanOrEqual(0.01);

    const calls = stack.sim.calls;
    const faulted = calls.filter((c) => c.fault).length;
    // The chaos was real: about 30% of all calls failed.
    expect(faulted / calls.length).toBeGreaterThan(0.24);
    expect(faulted / calls.length).toBeLessThan(0.36);

    // Totals stay honest under retries and fallbacks.
    const full = await stack.prisma.workflowRun.findMany({ where: { id: { in: runIds } }, include: { steps: true } });
    for (const run of full) {
      const tokens = run.steps.reduce((a, s) => a + s.tokensInput + s.tokensOutput, 0);
      expect(run.totalTokens).toBe(tokens);
    }
    const retries = await stack.prisma.traceEvent.count({ where: { runId: { in: runIds }, kind: "retry" } });
    const fallbacks = await stack.prisma.traceEvent.count({ where: { runId: { in: runIds }, kind: "fallback" } });
    console.info(
      `[chaos] provider chaos: ${RUNS} runs, ${calls.length} provider calls, ${faulted} faults injected ` +
        `(${((100 * faulted) / calls.length).toFixed(1)}%), ${retries} retries, ${fallbacks} fallbacks, ` +
        `${RUNS - failed.length} succeeded, ${failed.length} failed${failed.length ? `: ${failed.map((r) => r.errorSummary).join(" | ")}` : ""}`,
    );
  });
});
