/**
 * Compiles a valid workflow document into an executable DAG and defines run semantics.
 *
 * Semantics (documented in docs/workflow-spec.md):
 * - A node runs when all of its parents have finished and at least one inbound edge is active.
 * - An edge is active when its source succeeded and its `when` (if any) is true in the source's scope.
 * - A node with no active inbound edge is `skipped`; its outbound edges are inactive, so nodes that
 *   only it feeds are skipped too.
 * - Sequential by default (one node at a time, in topological order); with `parallel: true` every
 *   ready node of the lowest unfinished level runs concurrently.
 */
import { evaluate, type Scope } from "../expression/evaluate.ts";
import { type Expr, parseExpression } from "../expression/parse.ts";
import type { Workflow, WorkflowNode } from "./schema.ts";

export interface CompiledEdge {
  index: number;
  from: string;
  to: string;
  when?: string;
  condition?: Expr;
}

export interface CompiledWorkflow {
  readonly document: Workflow;
  readonly nodes: ReadonlyMap<string, WorkflowNode>;
  /** Topological order, ties broken by document order. */
  readonly order: readonly string[];
  /** levels[k] = nodes whose parents are all in earlier levels (longest path from entry = k). */
  readonly levels: readonly (readonly string[])[];
  readonly levelOf: ReadonlyMap<string, number>;
  readonly parents: ReadonlyMap<string, readonly string[]>;
  readonly children: ReadonlyMap<string, readonly string[]>;
  readonly inbound: ReadonlyMap<string, readonly CompiledEdge[]>;
  readonly outbound: ReadonlyMap<string, readonly CompiledEdge[]>;
  readonly ancestors: AncestorIndex;
  readonly parallel: boolean;
}

/**
 * Transitive ancestors of every node as bit sets (one row of 32-bit words per node): building it is
 * one OR of a parent's row per edge, and a query is one bit test, so validating or compiling a
 * 1,000-node document does not allocate a million Set entries.
 */
export class AncestorIndex {
  private readonly index = new Map<string, number>();
  private readonly words: number;
  private readonly bits: Uint32Array;

  constructor(
    private readonly order: readonly string[],
    parentsOf: (id: string) => readonly string[],
  ) {
    order.forEach((id, i) => {
      this.index.set(id, i);
    });
    this.words = (order.length + 31) >>> 5;
    this.bits = new Uint32Array(order.length * this.words);
    order.forEach((id, i) => {
      const row = i * this.words;
      for (const p of parentsOf(id)) {
        const j = this.index.get(p);
        if (j === undefined) continue;
        const parentRow = j * this.words;
        const bits = this.bits;
        for (let w = 0; w < this.words; w++)
          bits[row + w] = (bits[row + w] as number) | (bits[parentRow + w] as number);
        const at = row + (j >>> 5);
        bits[at] = (bits[at] as number) | (1 << (j & 31));
      }
    });
  }

  /** Is `ancestor` upstream of `node`? */
  has(node: string, ancestor: string): boolean {
    const i = this.index.get(node);
    const j = this.index.get(ancestor);
    if (i === undefined || j === undefined) return false;
    return ((this.bits[i * this.words + (j >>> 5)] as number) & (1 << (j & 31))) !== 0;
  }

  /** All ancestors of `node`, in topological order. */
  of(node: string): string[] {
    return this.order.filter((a) => this.has(node, a));
  }
}

export class CompileError extends Error {
  override readonly name = "CompileError";
}

/**
 * Topological order with Kahn's algorithm. Returns the nodes left over when there is a cycle.
 */
export function topologicalOrder(
  ids: readonly string[],
  edges: readonly { from: string; to: string }[],
): { order: string[]; remaining: string[] } {
  const indegree = new Map(ids.map((id) => [id, 0]));
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of edges) {
    if (!indegree.has(e.from) || !indegree.has(e.to)) continue;
    indegree.set(e.to, (indegree.get(e.to) ?? 0) + 1);
    out.get(e.from)?.push(e.to);
  }
  const position = new Map(ids.map((id, i) => [id, i]));
  // A small binary heap keyed by document position keeps the order stable and O(E log V).
  const heap: string[] = [];
  const less = (a: string, b: string) => (position.get(a) ?? 0) < (position.get(b) ?? 0);
  const push = (id: string) => {
    heap.push(id);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(heap[i] as string, heap[p] as string)) break;
      [heap[i], heap[p]] = [heap[p] as string, heap[i] as string];
      i = p;
    }
  };
  const pop = () => {
    const top = heap[0] as string;
    const last = heap.pop() as string;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l] as string, heap[m] as string)) m = l;
        if (r < heap.length && less(heap[r] as string, heap[m] as string)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m] as string, heap[i] as string];
        i = m;
      }
    }
    return top;
  };
  for (const id of ids) if (indegree.get(id) === 0) push(id);
  const order: string[] = [];
  while (heap.length > 0) {
    const id = pop();
    order.push(id);
    for (const next of out.get(id) ?? []) {
      const d = (indegree.get(next) ?? 0) - 1;
      indegree.set(next, d);
      if (d === 0) push(next);
    }
  }
  const done = new Set(order);
  return { order, remaining: ids.filter((id) => !done.has(id)) };
}

/** Find one cycle among `remaining` nodes; returns its node list with the first node repeated at the end. */
export function findCycle(
  remaining: readonly string[],
  edges: readonly { from: string; to: string }[],
): { path: string[]; closingEdge: number } | null {
  const inCycleSet = new Set(remaining);
  const adj = new Map<string, { to: string; index: number }[]>();
  edges.forEach((e, index) => {
    if (inCycleSet.has(e.from) && inCycleSet.has(e.to)) {
      const list = adj.get(e.from) ?? [];
      list.push({ to: e.to, index });
      adj.set(e.from, list);
    }
  });
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  for (const start of remaining) {
    if (state.has(start)) continue;
    // Iterative DFS so that deep graphs cannot overflow the call stack.
    const frames: { id: string; next: number }[] = [{ id: start, next: 0 }];
    state.set(start, 1);
    stack.push(start);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as { id: string; next: number };
      const list = adj.get(frame.id) ?? [];
      if (frame.next >= list.length) {
        state.set(frame.id, 2);
        stack.pop();
        frames.pop();
        continue;
      }
      const edge = list[frame.next++] as { to: string; index: number };
      const s = state.get(edge.to);
      if (s === 1) {
        const from = stack.indexOf(edge.to);
        return { path: [...stack.slice(from), edge.to], closingEdge: edge.index };
      }
      if (s === undefined) {
        state.set(edge.to, 1);
        stack.push(edge.to);
        frames.push({ id: edge.to, next: 0 });
      }
    }
  }
  return null;
}

/** Compile a document that validateWorkflow() accepted. Throws CompileError on a cycle. */
export function compileWorkflow(document: Workflow): CompiledWorkflow {
  const ids = document.nodes.map((n) => n.id);
  const nodes = new Map(document.nodes.map((n) => [n.id, n]));
  const { order, remaining } = topologicalOrder(ids, document.edges);
  if (remaining.length > 0) {
    const cycle = findCycle(remaining, document.edges);
    throw new CompileError(`cycle: ${cycle ? cycle.path.join(" → ") : remaining.join(", ")}`);
  }
  const parents = new Map<string, string[]>(ids.map((id) => [id, []]));
  const children = new Map<string, string[]>(ids.map((id) => [id, []]));
  const inbound = new Map<string, CompiledEdge[]>(ids.map((id) => [id, []]));
  const outbound = new Map<string, CompiledEdge[]>(ids.map((id) => [id, []]));
  document.edges.forEach((e, index) => {
    const compiled: CompiledEdge = { index, from: e.from, to: e.to };
    if (e.when !== undefined) {
      const parsed = parseExpression(e.when);
      if (!parsed.ok) throw new CompileError(`edges[${index}].when: ${parsed.error.message}`);
      compiled.when = e.when;
      compiled.condition = parsed.ast;
    }
    inbound.get(e.to)?.push(compiled);
    outbound.get(e.from)?.push(compiled);
    const p = parents.get(e.to);
    if (p && !p.includes(e.from)) p.push(e.from);
    const c = children.get(e.from);
    if (c && !c.includes(e.to)) c.push(e.to);
  });

  const levelOf = new Map<string, number>();
  for (const id of order) {
    let level = 0;
    for (const p of parents.get(id) ?? []) level = Math.max(level, (levelOf.get(p) ?? 0) + 1);
    levelOf.set(id, level);
  }
  const ancestors = new AncestorIndex(order, (id) => parents.get(id) ?? []);
  const levels: string[][] = [];
  for (const id of order) {
    const level = levelOf.get(id) ?? 0;
    const bucket = levels[level] ?? [];
    bucket.push(id);
    levels[level] = bucket;
  }
  return {
    document,
    nodes,
    order,
    levels,
    levelOf,
    parents,
    children,
    inbound,
    outbound,
    ancestors,
    parallel: document.parallel === true,
  };
}

export type NodeOutcome = "succeeded" | "failed" | "skipped" | "canceled";

/**
 * The run-time state machine over a compiled workflow. The engine asks `next()` for the nodes to
 * start, reports each finished node with the scope its outbound `when` expressions see, and the
 * planner propagates skips. Pure: no I/O, no clocks.
 */
export class RunPlanner {
  private readonly outcome = new Map<string, NodeOutcome>();
  private readonly running = new Set<string>();
  private readonly activeEdges = new Set<number>();
  /** Nodes skipped by propagation, in the order they were decided. */
  readonly skipped: string[] = [];

  constructor(readonly workflow: CompiledWorkflow) {}

  /** Restore a finished node (e.g. from a checkpoint) without re-deciding it. */
  restore(nodeId: string, outcome: NodeOutcome, activeOutbound: readonly number[]): void {
    this.outcome.set(nodeId, outcome);
    for (const i of activeOutbound) this.activeEdges.add(i);
  }

  outcomeOf(nodeId: string): NodeOutcome | undefined {
    return this.outcome.get(nodeId);
  }

  get finished(): boolean {
    return this.workflow.order.every((id) => this.outcome.has(id));
  }

  /** Decide skips, then return the nodes that may start now (respecting sequential/parallel mode). */
  next(): string[] {
    this.propagateSkips();
    const ready = this.workflow.order.filter(
      (id) => !this.outcome.has(id) && !this.running.has(id) && this.decide(id) === "run",
    );
    if (ready.length === 0) return [];
    if (!this.workflow.parallel) return this.running.size > 0 ? [] : ready.slice(0, 1);
    const level = Math.min(...ready.map((id) => this.workflow.levelOf.get(id) ?? 0));
    const pending = this.workflow.order.some(
      (id) => !this.outcome.has(id) && (this.workflow.levelOf.get(id) ?? 0) < level,
    );
    return pending ? [] : ready.filter((id) => this.workflow.levelOf.get(id) === level);
  }

  start(nodeId: string): void {
    this.running.add(nodeId);
  }

  /**
   * Record a finished node. For a success, every outbound edge's `when` is evaluated in `scope`;
   * an expression error throws (the run should fail with it). Returns the active outbound edges.
   */
  complete(nodeId: string, outcome: NodeOutcome, scope: Scope = {}): CompiledEdge[] {
    this.running.delete(nodeId);
    this.outcome.set(nodeId, outcome);
    if (outcome !== "succeeded") return [];
    const active: CompiledEdge[] = [];
    for (const edge of this.workflow.outbound.get(nodeId) ?? []) {
      if (!edge.condition || evaluate(edge.condition, scope)) {
        this.activeEdges.add(edge.index);
        active.push(edge);
      }
    }
    return active;
  }

  isEdgeActive(index: number): boolean {
    return this.activeEdges.has(index);
  }

  /** Whether a node runs now, must wait for a parent, or is skipped (no active inbound edge). */
  decide(nodeId: string): "wait" | "run" | "skip" {
    const inbound = this.workflow.inbound.get(nodeId) ?? [];
    if (inbound.length === 0) return "run";
    const parents = this.workflow.parents.get(nodeId) ?? [];
    if (parents.some((p) => !this.outcome.has(p))) return "wait";
    return inbound.some((e) => this.activeEdges.has(e.index)) ? "run" : "skip";
  }

  private propagateSkips(): void {
    for (const id of this.workflow.order) {
      if (this.outcome.has(id) || this.running.has(id)) continue;
      if (this.decide(id) === "skip") {
        this.outcome.set(id, "skipped");
        this.skipped.push(id);
      }
    }
  }
}
