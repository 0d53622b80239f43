/** Compare two runs step by step (GET /api/runs/:id/diff?against=…, GraphQL Run.diff). */
import type { PrismaClient } from "../db/prisma.ts";
import type { Uuid } from "../domain/ids.ts";
import { type DiffRun, diffRuns, type RunDiff } from "../domain/run-diff.ts";
import { NotFoundError } from "./runs.ts";

type RunWithSteps = NonNullable<Awaited<ReturnType<typeof loadRun>>>;

function loadRun(prisma: PrismaClient, id: Uuid) {
  return prisma.workflowRun.findUnique({ where: { id }, include: { steps: true } });
}

/** The run as the diff reads it, its steps in the order of its document's nodes. */
function diffRunOf(run: RunWithSteps): DiffRun {
  const document = (run.graphSnapshot ?? null) as DiffRun["document"];
  const position = new Map((document?.nodes ?? []).map((n, i) => [n.id, i]));
  const steps = [...run.steps].sort((x, y) => (position.get(x.nodeId) ?? 1e9) - (position.get(y.nodeId) ?? 1e9));
  return {
    id: run.id,
    status: run.status,
    document,
    steps: steps.map((s) => ({
      nodeId: s.nodeId,
      nodeType: s.nodeType,
      status: s.status,
      output: s.output,
      tokens: s.tokensInput + s.tokensOutput,
      costCents: s.costCents?.toString() ?? null,
      latencyMs: s.latencyMs,
      reused: s.reused,
    })),
  };
}

export async function diffRunsById(deps: { prisma: PrismaClient }, runId: Uuid, againstId: Uuid): Promise<RunDiff> {
  const [run, against] = await Promise.all([loadRun(deps.prisma, runId), loadRun(deps.prisma, againstId)]);
  if (!run) throw new NotFoundError(`run ${runId} does not exist`);
  if (!against) throw new NotFoundError(`run ${againstId} does not exist`);
  return diffRuns(diffRunOf(against), diffRunOf(run));
}
