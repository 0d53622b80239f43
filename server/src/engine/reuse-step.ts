/**
 * A re-run's reused step: the parent's recorded output and branch decisions stand in for the call.
 * No provider or tool is called; the step costs this run 0 and names its source.
 */
import type { WorkflowNode } from "../domain/workflow/schema.ts";
import type { RunContext, State } from "./run-context.ts";
import { reuseStepRow } from "./run-store.ts";

/** The parent's step as recorded: its output, its cost, and which outbound edges it took. */
async function recordedStep(run: RunContext, sourceStepId: string) {
  const { prisma } = run.deps;
  const [step, finished] = await Promise.all([
    prisma.runStep.findUnique({ where: { id: sourceStepId } }),
    // A step the parent itself reused has `step.reused` (with the same activeEdges) instead.
    prisma.traceEvent.findFirst({
      where: { stepId: sourceStepId, kind: { in: ["step.finished", "step.reused"] } },
      orderBy: { seq: "desc" },
    }),
  ]);
  if (step?.status !== "succeeded" || !finished) {
    throw new Error(`the parent's step ${sourceStepId} is gone or did not succeed: it cannot be reused`);
  }
  const activeEdges = (finished.payload as { activeEdges?: unknown }).activeEdges;
  return {
    output: step.output,
    costCents: step.costCents?.toString() ?? null,
    activeEdges: Array.isArray(activeEdges) ? activeEdges.filter((i): i is number => typeof i === "number") : [],
  };
}

export async function reuseStep(
  run: RunContext,
  node: WorkflowNode,
  stepId: string,
  sourceStepId: string,
): Promise<Partial<State>> {
  const t0 = performance.now();
  const source = await recordedStep(run, sourceStepId);
  const now = new Date();
  const finalRow = reuseStepRow(run.deps.prisma, stepId, {
    at: now,
    latencyMs: Math.round(performance.now() - t0),
    output: source.output,
    sourceStepId,
  });
  finalRow.catch(() => {}); // awaited by the flush below
  run.recorder.emit("step.reused", stepId, {
    nodeId: node.id,
    sourceRunId: run.prepared.rerun?.parentRunId ?? "",
    sourceStepId,
    output: source.output,
    savedCostCents: source.costCents,
    activeEdges: source.activeEdges,
  });
  await run.recorder.flush({ publishAfter: finalRow });
  await finalRow;
  return {
    outputs: { [node.id]: source.output },
    outcomes: { [node.id]: { status: "succeeded", active: source.activeEdges } },
  };
}
