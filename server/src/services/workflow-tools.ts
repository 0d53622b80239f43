/**
 * The project's workflows as tools (for MCP clients, POST /mcp): every workflow marked
 * `expose_as_tool`, named after it, described by it, taking its declared inputs. A call starts a run
 * (`triggered_by: "mcp"`), waits for it up to a limit, reporting progress as its steps finish, and
 * answers with the run's output — or its error, or (still going at the limit) its id and URL.
 */

import type { Uuid } from "../domain/ids.ts";
import { isFinalRun, isOpenStep } from "../domain/run-status.ts";
import { workflowInputSchema, workflowToolName } from "../domain/workflow/tool-schema.ts";
import { validateWorkflow } from "../domain/workflow/validate.ts";
import { toolCatalog } from "../tools/registry.ts";
import { lastOutput } from "./datasets.ts";
import { NotFoundError } from "./errors.ts";
import { type RunServiceDeps, startRun } from "./runs.ts";

export interface WorkflowTool {
  workflowId: string;
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

export type WorkflowToolOutcome =
  | { state: "succeeded"; runId: string; url: string; output: unknown }
  | { state: "failed"; runId: string; url: string; error: string }
  | { state: "running"; runId: string; url: string };

export async function listWorkflowTools(
  deps: Pick<RunServiceDeps, "prisma" | "providerNames">,
): Promise<WorkflowTool[]> {
  const rows = await deps.prisma.workflow.findMany({ where: { exposeAsTool: true }, orderBy: { createdAt: "asc" } });
  const taken = new Set<string>();
  const tools: WorkflowTool[] = [];
  for (const row of rows) {
    const checked = validateWorkflow(row.graphJson, { tools: toolCatalog, providers: deps.providerNames() });
    if (!checked.ok) continue; // a document that cannot run is not offered
    let name = workflowToolName(row.name);
    if (taken.has(name)) name = `${name.slice(0, 55)}_${row.id.slice(0, 8)}`;
    taken.add(name);
    const description = row.description?.trim() || `Runs the FlowTrace workflow "${row.name}".`;
    tools.push({ workflowId: row.id, name, description, inputSchema: workflowInputSchema(checked.workflow) });
  }
  return tools;
}

/** Poll the run until it ends or `waitMs` passes, telling `onProgress` each time a step finishes. */
async function awaitRun(
  deps: Pick<RunServiceDeps, "prisma">,
  runId: string,
  waitMs: number,
  onProgress: (done: number, total: number) => Promise<void> | void,
) {
  const deadline = Date.now() + waitMs;
  let reported = -1;
  for (;;) {
    const run = await deps.prisma.workflowRun.findUniqueOrThrow({ where: { id: runId }, include: { steps: true } });
    const done = run.steps.filter((s) => !isOpenStep(s.status)).length;
    if (done !== reported) {
      reported = done;
      await onProgress(done, run.steps.length);
    }
    if (isFinalRun(run.status) || Date.now() >= deadline) return run;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function callWorkflowTool(
  deps: RunServiceDeps & { publicUrl: string; waitMs: number },
  name: string,
  args: Record<string, unknown>,
  onProgress: (done: number, total: number) => Promise<void> | void = () => {},
): Promise<WorkflowToolOutcome> {
  const tool = (await listWorkflowTools(deps)).find((t) => t.name === name);
  if (!tool) throw new NotFoundError(`no workflow tool named ${name} in this project`);
  const run = await startRun(deps, { workflowId: tool.workflowId as Uuid, inputVars: args, triggeredBy: "mcp" });
  const url = `${deps.publicUrl}/runs/${run.id}`;
  const ended = await awaitRun(deps, run.id, deps.waitMs, onProgress);
  if (ended.status === "succeeded") {
    return { state: "succeeded", runId: run.id, url, output: await lastOutput(deps, run.id) };
  }
  if (isFinalRun(ended.status)) {
    return { state: "failed", runId: run.id, url, error: ended.errorSummary ?? `the run ended ${ended.status}` };
  }
  return { state: "running", runId: run.id, url };
}
