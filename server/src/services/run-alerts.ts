/**
 * What a run's progress means for its project's budget and alerts: a guard the engine calls before
 * every paid provider call (a hard budget used up stops the run with `limit.project_budget`), and,
 * when a run ends or parks, the budget's threshold alerts, `run.failed` and `approval.waiting`.
 */
import type { PrismaClient } from "../db/prisma.ts";
import { LimitExceededError } from "../engine/budget.ts";
import { raiseAlert } from "./alerts.ts";
import { budgetMessage, budgetState, checkBudgetAlerts } from "./budgets.ts";

async function projectOfRun(prisma: PrismaClient, runId: string) {
  const run = await prisma.workflowRun.findUnique({
    where: { id: runId },
    select: {
      id: true,
      status: true,
      errorSummary: true,
      workflowId: true,
      workflow: { select: { projectId: true, name: true } },
    },
  });
  return run;
}

/**
 * The guard looks at the budget before every paid call, uncached: one indexed lookup when the
 * project has no budget, plus this month's sum when it has one — small next to a provider call, and
 * a cached answer would let a burst of calls spend past a hard stop.
 */
export function createSpendGuard(prisma: PrismaClient): (runId: string) => Promise<void> {
  const projects = new Map<string, string>();
  const refusalOf = async (projectId: string) => {
    const state = await budgetState(prisma, projectId);
    return state?.exceeded && state.budget.hardStop
      ? budgetMessage(state.budget.monthlyLimitCents, state.spent, state.month)
      : null;
  };
  return async (runId) => {
    let projectId = projects.get(runId);
    if (!projectId) {
      projectId = (await projectOfRun(prisma, runId))?.workflow.projectId;
      if (!projectId) return;
      if (projects.size > 10_000) projects.clear();
      projects.set(runId, projectId);
    }
    const refusal = await refusalOf(projectId);
    if (refusal) throw new LimitExceededError("project_budget", `${refusal}: stopped before the next paid call`);
  };
}

/** After a run ended (or parked waiting for an approval): its project's alerts. */
export async function afterRunStopped(prisma: PrismaClient, runId: string, status: string): Promise<void> {
  const run = await projectOfRun(prisma, runId);
  if (!run) return;
  const projectId = run.workflow.projectId;
  const about = { run_id: run.id, workflow_id: run.workflowId, workflow_name: run.workflow.name };
  if (status === "waiting") {
    const pending = await prisma.approval.findMany({ where: { runId, status: "pending" }, select: { nodeId: true } });
    await raiseAlert(prisma, projectId, "approval.waiting", { ...about, nodes: pending.map((a) => a.nodeId) });
    return;
  }
  await checkBudgetAlerts(prisma, projectId);
  if (status === "failed") {
    await raiseAlert(prisma, projectId, "run.failed", { ...about, error: run.errorSummary }, run.workflowId);
  }
}
