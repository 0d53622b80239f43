/**
 * Figures the run view draws beside the steps: which edges a run took, its slowest path, and its
 * cost split by model. Pure, from the document and the folded trace.
 */
import { sumCents } from "../../lib/format.ts";
import type { WorkflowDoc } from "../workflow-editor/graph.ts";
import { known, type RunView, type TraceEventView } from "./model.ts";

export type EdgeState = "taken" | "not-taken" | "pending";

/** Each edge's state: taken, not taken (its source finished without it), or not decided yet. */
export function edgeStates(doc: WorkflowDoc, view: RunView): EdgeState[] {
  return doc.edges.map((e, index) => {
    const source = view.steps.get(e.from);
    if (!source?.activeEdges) {
      return source && ["failed", "skipped", "canceled"].includes(source.state) ? "not-taken" : "pending";
    }
    return source.activeEdges.includes(index) ? "taken" : "not-taken";
  });
}

/**
 * The run's slowest path: the chain of taken edges from the entry whose steps' latencies add up
 * to the most (the critical path of a parallel run). Nodes and edge indexes on it.
 */
export function slowestPath(doc: WorkflowDoc, view: RunView): { nodes: Set<string>; edges: Set<number> } {
  const states = edgeStates(doc, view);
  const best = new Map<string, { ms: number; via: number | null }>();
  const latency = (id: string) => view.steps.get(id)?.latencyMs ?? 0;
  for (const id of topological(doc)) {
    const incoming = doc.edges
      .map((e, i) => ({ e, i }))
      .filter(({ e, i }) => e.to === id && states[i] === "taken" && best.has(e.from));
    if (id !== doc.entry && incoming.length === 0) continue;
    const from = incoming.reduce<{ ms: number; via: number | null }>(
      (acc, { e, i }) => ((best.get(e.from)?.ms ?? 0) > acc.ms ? { ms: best.get(e.from)?.ms ?? 0, via: i } : acc),
      { ms: 0, via: null },
    );
    best.set(id, { ms: from.ms + latency(id), via: from.via });
  }
  return walkBack(doc, best);
}

function walkBack(doc: WorkflowDoc, best: Map<string, { ms: number; via: number | null }>) {
  const nodes = new Set<string>();
  const edges = new Set<number>();
  let end = [...best.entries()].sort((a, b) => b[1].ms - a[1].ms)[0]?.[0];
  while (end !== undefined && !nodes.has(end)) {
    nodes.add(end);
    const via = best.get(end)?.via ?? null;
    if (via === null) break;
    edges.add(via);
    end = doc.edges[via]?.from;
  }
  return { nodes, edges };
}

function topological(doc: WorkflowDoc): string[] {
  const indegree = new Map(doc.nodes.map((n) => [n.id, 0]));
  for (const e of doc.edges) indegree.set(e.to, (indegree.get(e.to) ?? 0) + 1);
  const queue = doc.nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  const order: string[] = [];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    order.push(id);
    for (const e of doc.edges.filter((x) => x.from === id)) {
      indegree.set(e.to, (indegree.get(e.to) ?? 0) - 1);
      if (indegree.get(e.to) === 0) queue.push(e.to);
    }
  }
  return order;
}

export interface ModelCost {
  model: string;
  /** Exact decimal cents of this model's priced answers. */
  cents: string;
  calls: number;
  /** Answers with no price (their cost is unknown, not in `cents`). */
  unpriced: number;
}

/** What each provider/model's answers cost in this run (cache hits and reused steps paid nothing). */
export function costByModel(events: TraceEventView[]): ModelCost[] {
  const byModel = new Map<string, { cents: string[]; calls: number; unpriced: number }>();
  for (const raw of events) {
    const e = known(raw);
    if (e.kind !== "llm.response") continue;
    const key = `${e.payload.provider}/${e.payload.model}`;
    const entry = byModel.get(key) ?? { cents: [], calls: 0, unpriced: 0 };
    entry.calls++;
    if (e.payload.costCents === null) entry.unpriced++;
    else entry.cents.push(e.payload.costCents);
    byModel.set(key, entry);
  }
  return [...byModel.entries()]
    .map(([model, v]) => ({ model, cents: sumCents(v.cents), calls: v.calls, unpriced: v.unpriced }))
    .sort((a, b) => Number(b.cents) - Number(a.cents));
}
