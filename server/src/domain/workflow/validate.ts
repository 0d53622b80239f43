/**
 * validateWorkflow(): the one entry point that turns untrusted input into a typed, compiled
 * workflow or a list of issues, each with a JSON path (`nodes[2].config.model`) and a sentence.
 * It never throws for any input (a property test feeds it garbage to prove it).
 */
import { z } from "zod";
import { parseExpression } from "../expression/parse.ts";
import { formatPath } from "../json-path.ts";
import { storageIssues } from "../storable-json.ts";
import { issueMessage } from "../zod-issues.ts";
import { AncestorIndex, type CompiledWorkflow, compileWorkflow, findCycle, topologicalOrder } from "./compile.ts";
import { BRANCHING_TYPES, kindOf } from "./kinds/index.ts";
import {
  checkTemplates,
  expressionScope,
  type ServerCaps,
  type ValidationContext,
  type ValidationIssue,
} from "./node-check.ts";
import { nodeSchema, type Workflow, type WorkflowNode, workflowSchema } from "./schema.ts";
import { scanValue } from "./templates.ts";

export type { ServerCaps, ValidationContext, ValidationIssue };
export { expressionScope, formatPath };

/** "a router or an approval": the kinds whose edges may read `branch`. */
const branchingKinds = () => BRANCHING_TYPES.map((t) => `${/^[aeiou]/.test(t) ? "an" : "a"} ${t}`).join(" or ");

// Nodes are validated one by one for precise paths; the document pass only checks they form a list.
const workflowSchemaNodesLenient = z.array(z.unknown()).min(1, { message: "expected at least one node" });

export const DEFAULT_CAPS: ServerCaps = {
  maxNodes: 1_000,
  maxTokens: 5_000_000,
  timeoutSeconds: 3_600,
  maxCostCents: 100_000,
};

/** Limits applied when a document does not set its own. */
export const DEFAULT_LIMITS = { maxNodes: 50, maxTokens: 150_000, timeoutSeconds: 300 } as const;

export type ValidationResult =
  | { ok: true; workflow: Workflow; compiled: CompiledWorkflow; issues: [] }
  | { ok: false; issues: ValidationIssue[] };

function zodIssues(error: z.ZodError, prefix: PropertyKey[] = []): ValidationIssue[] {
  return error.issues.map((i) => ({ path: formatPath([...prefix, ...i.path]), message: issueMessage(i) }));
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

type Add = (path: PropertyKey[], message: string) => void;
type Ctx = { ctx: ValidationContext; add: Add };
interface GraphEdge {
  from: string;
  to: string;
  index: number;
}

/** The document's shape, with nodes checked one by one so each issue has its node's path. */
function checkShape(input: Record<string, unknown>, issues: ValidationIssue[]) {
  const shape = workflowSchema.extend({ nodes: workflowSchemaNodesLenient }).safeParse(input);
  if (!shape.success) issues.push(...zodIssues(shape.error));
  const rawNodes = Array.isArray(input.nodes) ? input.nodes : [];
  const typed: (WorkflowNode | null)[] = rawNodes.map((raw, i) => {
    const r = nodeSchema.safeParse(raw);
    if (!r.success) issues.push(...zodIssues(r.error, ["nodes", i]));
    return r.success ? r.data : null;
  });
  return { shape, rawNodes, typed };
}

/** Readable node ids to their first index; duplicates are issues. */
function indexNodeIds(rawNodes: unknown[], add: Add): Map<string, number> {
  const idIndex = new Map<string, number>();
  rawNodes.forEach((raw, i) => {
    const id = isRecord(raw) && typeof raw.id === "string" ? raw.id : undefined;
    if (id === undefined) return;
    const first = idIndex.get(id);
    if (first !== undefined) add(["nodes", i, "id"], `duplicate node id '${id}' (also nodes[${first}])`);
    else idIndex.set(id, i);
  });
  return idIndex;
}

function checkEntry(entry: string | undefined, idIndex: Map<string, number>, nodeCount: number, add: Add): void {
  if (entry === undefined || nodeCount === 0 || idIndex.has(entry)) return;
  const nodeList = [...idIndex.keys()].slice(0, 12).join(", ");
  add(["entry"], `entry '${entry}' is not a node id (nodes: ${nodeList}${idIndex.size > 12 ? ", …" : ""})`);
}

/** The edges between known nodes, once each, without self-loops; each problem is an issue. */
function collectEdges(rawEdges: unknown[], idIndex: Map<string, number>, entry: string | undefined, add: Add) {
  const edges: GraphEdge[] = [];
  const seenEdges = new Map<string, number>();
  rawEdges.forEach((raw, i) => {
    if (!isRecord(raw) || typeof raw.from !== "string" || typeof raw.to !== "string") return;
    const { from, to } = raw;
    const unknownEnds = (["from", "to"] as const).filter((end) => !idIndex.has(raw[end] as string));
    for (const end of unknownEnds) {
      add(["edges", i, end], `edge ${end === "from" ? "comes from" : "goes to"} unknown node '${raw[end]}'`);
    }
    if (unknownEnds.length > 0) return;
    const key = `${from}\u0000${to}`;
    const dup = seenEdges.get(key);
    if (dup !== undefined) {
      add(["edges", i], `duplicate edge ${from} → ${to} (also edges[${dup}])`);
      return;
    }
    seenEdges.set(key, i);
    if (from === to) {
      add(["edges", i], `cycle: ${from} → ${to}`);
      return;
    }
    if (to === entry) add(["edges", i, "to"], `the entry node '${entry}' cannot have inbound edges`);
    edges.push({ from, to, index: i });
  });
  return edges;
}

function checkAcyclic(ids: string[], edges: GraphEdge[], add: Add): { order: string[]; acyclic: boolean } {
  const { order, remaining } = topologicalOrder(ids, edges);
  if (remaining.length === 0) return { order, acyclic: true };
  const cycle = findCycle(remaining, edges);
  if (cycle) add(["edges", edges[cycle.closingEdge]?.index ?? cycle.closingEdge], `cycle: ${cycle.path.join(" → ")}`);
  else add(["edges"], `cycle among ${remaining.join(", ")}`);
  return { order, acyclic: false };
}

function checkReachable(entry: string | undefined, idIndex: Map<string, number>, edges: GraphEdge[], add: Add) {
  if (entry === undefined || !idIndex.has(entry)) return;
  const out = new Map<string, string[]>();
  for (const e of edges) out.set(e.from, [...(out.get(e.from) ?? []), e.to]);
  const seen = new Set([entry]);
  const queue = [entry];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const next of out.get(id) ?? []) {
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(next);
    }
  }
  for (const [id, i] of idIndex) {
    if (!seen.has(id)) add(["nodes", i], `node '${id}' is not reachable from entry '${entry}'`);
  }
}

/** Limits against the node count and the server's caps. */
function checkLimits(input: Record<string, unknown>, nodeCount: number, caps: ServerCaps, add: Add): void {
  const limits = isRecord(input.limits) ? input.limits : {};
  const maxNodes = typeof limits.maxNodes === "number" ? limits.maxNodes : DEFAULT_LIMITS.maxNodes;
  if (nodeCount > maxNodes) add(["nodes"], `${nodeCount} nodes exceed limits.maxNodes (${maxNodes})`);
  for (const key of ["maxNodes", "maxTokens", "timeoutSeconds", "maxCostCents"] as const) {
    const v = limits[key];
    if (typeof v === "number" && v > caps[key]) add(["limits", key], `${v} exceeds this server's cap of ${caps[key]}`);
  }
}

function ancestorIndex(order: string[], edges: GraphEdge[]): AncestorIndex {
  const parents = new Map<string, string[]>();
  for (const e of edges) parents.set(e.to, [...(parents.get(e.to) ?? []), e.from]);
  return new AncestorIndex(order, (id) => parents.get(id) ?? []);
}

/** Edge conditions, in the scope of their source node. */
function checkEdgeConditions(
  rawEdges: unknown[],
  typed: (WorkflowNode | null)[],
  idIndex: Map<string, number>,
  add: Add,
): void {
  rawEdges.forEach((raw, i) => {
    if (!isRecord(raw) || typeof raw.when !== "string" || typeof raw.from !== "string") return;
    const source = typed[idIndex.get(raw.from) ?? -1];
    if (!source) return;
    const kind = kindOf(source);
    const parsed = parseExpression(raw.when, expressionScope(source, kind.setsBranch));
    const gateProblem = parsed.ok ? (kind.edgeProblem?.(raw.when) ?? null) : null;
    if (gateProblem) add(["edges", i, "when"], gateProblem);
    if (parsed.ok) return;
    const hint =
      !kind.setsBranch && /\bbranch\b/.test(raw.when)
        ? ` ('branch' exists only on edges leaving ${branchingKinds()})`
        : "";
    add(["edges", i, "when"], parsed.error.message + hint);
  });
}

export function validateWorkflow(input: unknown, ctx: ValidationContext): ValidationResult {
  if (!isRecord(input)) return { ok: false, issues: [{ path: "", message: "expected a workflow object" }] };
  // Storable at all: no NUL, no unpaired surrogates, bounded nesting (walked without recursion).
  const unstorable = storageIssues(input);
  if (unstorable.length > 0) return { ok: false, issues: unstorable };

  const issues: ValidationIssue[] = [];
  const add: Add = (path, message) => issues.push({ path: formatPath(path), message });
  const { shape, rawNodes, typed } = checkShape(input, issues);
  // Graph structure, on whatever ids and edges are readable.
  const idIndex = indexNodeIds(rawNodes, add);
  const entry = typeof input.entry === "string" ? input.entry : undefined;
  checkEntry(entry, idIndex, rawNodes.length, add);
  const rawEdges = Array.isArray(input.edges) ? input.edges : [];
  const edges = collectEdges(rawEdges, idIndex, entry, add);
  const { order, acyclic } = checkAcyclic([...idIndex.keys()], edges, add);
  checkReachable(entry, idIndex, edges, add);
  checkLimits(input, rawNodes.length, ctx.caps ?? DEFAULT_CAPS, add);
  // Per-node semantics: providers, tools, templates, expressions.
  const ancestors = acyclic ? ancestorIndex(order, edges) : null;
  typed.forEach((node, i) => {
    if (node) checkNode(node, i, { ctx, add, idIndex, ancestors });
  });
  checkEdgeConditions(rawEdges, typed, idIndex, add);

  if (issues.length > 0 || !shape.success) return { ok: false, issues: dedupe(issues) };
  const workflow = shape.data as unknown as Workflow;
  workflow.nodes = typed as WorkflowNode[];
  return { ok: true, workflow, compiled: compileWorkflow(workflow), issues: [] };
}

function dedupe(issues: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function checkNode(node: WorkflowNode, i: number, c: Omit<Parameters<typeof checkTemplates>[3], "add"> & Ctx) {
  const at = (...rest: PropertyKey[]) => ["nodes", i, ...rest];
  const templates = (text: string, path: PropertyKey[]) => checkTemplates(node, text, path, c);
  scanValue(node.inputs ?? {}, (text, p) => templates(text, at("inputs", ...p)));
  kindOf(node).check(node, { ctx: c.ctx, add: c.add, at, templates });
}
