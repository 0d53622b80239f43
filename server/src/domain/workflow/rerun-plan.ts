/**
 * Which steps a re-run reuses from its parent and which it executes, and why. A step is reused only
 * when nothing it depends on changed: it succeeded in the parent, it is not the node re-run from,
 * no override touches it, it reads no input that changed, and nothing upstream of it executes. Pure.
 */
import { z } from "zod";
import type { CompiledWorkflow } from "./compile.ts";
import { kindOf } from "./kinds/index.ts";
import type { WorkflowNode } from "./schema.ts";
import { scanTemplate, scanValue } from "./templates.ts";

export interface RerunRequest {
  fromNode: string;
  /** Node ids the re-run overrides the config of. */
  overridden: ReadonlySet<string>;
  /** Names of input variables whose value differs from the parent's. */
  changedInputs: ReadonlySet<string>;
  /** The parent's step status by node id. */
  parentStatus: ReadonlyMap<string, string>;
}

export interface RerunPlan {
  reuse: string[];
  execute: { nodeId: string; reason: string }[];
  /** Skipped in the parent with nothing upstream changed: the same branches skip them again. */
  skip: string[];
}

/** The input names a node reads, or "any" when an expression reads the whole `input`. */
export function inputsRead(compiled: CompiledWorkflow, node: WorkflowNode): Set<string> | "any" {
  const names = new Set<string>();
  scanValue([node.config, node.inputs ?? {}], (text) => {
    for (const ref of scanTemplate(text).refs) if (ref.kind === "input") names.add(ref.name);
  });
  const expressions = [
    ...(kindOf(node).expressions?.(node) ?? []),
    ...(compiled.outbound.get(node.id) ?? []).map((e) => e.when ?? ""),
  ];
  return expressions.some((x) => /\binput\b/.test(x)) ? "any" : names;
}

function ownReason(compiled: CompiledWorkflow, id: string, req: RerunRequest): string | "skip" | null {
  if (id === req.fromNode) return "re-run from here";
  if (req.overridden.has(id)) return "its config is overridden";
  const reads = inputsRead(compiled, compiled.nodes.get(id) as WorkflowNode);
  const changed = [...req.changedInputs].filter((name) => reads === "any" || reads.has(name));
  if (changed.length > 0) return `it reads changed input ${changed.map((n) => `'${n}'`).join(", ")}`;
  const status = req.parentStatus.get(id);
  if (status === "skipped") return "skip";
  if (status !== "succeeded") return `it did not succeed in the parent run (${status ?? "not run"})`;
  return null;
}

export function planRerun(compiled: CompiledWorkflow, req: RerunRequest): RerunPlan {
  const reasons = new Map<string, string>();
  const skip: string[] = [];
  for (const id of compiled.order) {
    const own = ownReason(compiled, id, req);
    const upstream = (compiled.parents.get(id) ?? []).find((p) => reasons.has(p));
    if (upstream !== undefined && (own === null || own === "skip")) reasons.set(id, `downstream of ${upstream}`);
    else if (own === "skip") skip.push(id);
    else if (own !== null) reasons.set(id, own);
  }
  return {
    reuse: compiled.order.filter((id) => !reasons.has(id) && !skip.includes(id)),
    execute: compiled.order
      .filter((id) => reasons.has(id))
      .map((nodeId) => ({ nodeId, reason: reasons.get(nodeId) as string })),
    skip,
  };
}

/** What a re-run's row stores (`workflow_runs.rerun_plan`) for its executor. */
export const rerunPlanSchema = z.object({
  mode: z.enum(["from_node", "replay"]),
  useCache: z.boolean(),
  reuse: z.array(z.object({ nodeId: z.string(), sourceStepId: z.string() })),
  execute: z.array(z.object({ nodeId: z.string(), reason: z.string() })),
  skip: z.array(z.string()),
});
export type StoredRerunPlan = z.infer<typeof rerunPlanSchema>;
