import { describe, expect, it } from "vitest";
import type { TraceEventBody } from "../domain/trace/events.ts";
import { RunRenderer } from "./render.ts";

function render(events: { kind: string; stepId: string | null; payload: Record<string, unknown> }[]) {
  const lines: string[] = [];
  const r = new RunRenderer({ color: false, write: (l) => lines.push(l) });
  for (const e of events) r.handle(e as TraceEventBody);
  return lines.join("\n");
}

const started = { kind: "run.started", stepId: null, payload: { nodes: [{ id: "a" }, { id: "b" }] } };
const finished = (id: string, node: string, extra: Record<string, unknown>) => ({
  kind: "step.finished",
  stepId: id,
  payload: { nodeId: node, tokensInput: 120, tokensOutput: 40, latencyMs: 12, ...extra },
});

describe("CLI run summary", () => {
  it("marks estimated usage with ~ and a run with an unpriced step as a lower bound", () => {
    const out = render([
      started,
      { kind: "step.started", stepId: "s1", payload: { nodeId: "a", type: "llm" } },
      finished("s1", "a", { costCents: "0.21", usageSource: "estimated" }),
      { kind: "step.started", stepId: "s2", payload: { nodeId: "b", type: "llm" } },
      finished("s2", "b", { costCents: null, usageSource: "provider" }),
      {
        kind: "run.finished",
        stepId: null,
        payload: {
          status: "succeeded",
          totalTokens: 320,
          totalCostCents: "0.21",
          totalLatencyMs: 24,
          costComplete: false,
          unpricedSteps: 1,
        },
      },
    ]);
    expect(out).toMatch(/✓ a llm · ~120→~40 tok · ~\$0\.00210 \(estimated\) · 12 ms/);
    expect(out).toMatch(/✓ b llm · 120→40 tok · unpriced · 12 ms/);
    expect(out).toMatch(/^a +llm +succeeded +~120 +~40 +~\$0\.00210 +12 ms$/m);
    expect(out).toMatch(/✔ succeeded · ~320 tokens · ≥ ~\$0\.00210 \(1 step unpriced\) · 24 ms in steps/);
    expect(out).toMatch(/~ estimated: a provider reported no usage/);
  });

  it("shows a bare total when every step is priced and reported", () => {
    const out = render([
      started,
      { kind: "step.started", stepId: "s1", payload: { nodeId: "a", type: "llm" } },
      finished("s1", "a", { costCents: "0.21", usageSource: "provider" }),
      {
        kind: "run.finished",
        stepId: null,
        payload: {
          status: "succeeded",
          totalTokens: 160,
          totalCostCents: "0.21",
          totalLatencyMs: 12,
          costComplete: true,
          unpricedSteps: 0,
        },
      },
    ]);
    expect(out).toMatch(/✔ succeeded · 160 tokens · \$0\.00210 · 12 ms in steps$/m);
    expect(out).not.toMatch(/~/);
  });
});
