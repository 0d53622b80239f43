import { describe, expect, it } from "vitest";
import { toolCatalog } from "../../tools/registry.ts";
import { type CompiledWorkflow, RunPlanner, validateWorkflow } from "./index.ts";

const llm = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  type: "llm",
  name: id,
  config: { provider: "openai", model: "gpt-4o-mini" },
  ...extra,
});
const router = (id: string, rule: string) => ({ id, type: "router", name: id, config: { rule } });

function compile(nodes: unknown[], edges: unknown[], parallel = false): CompiledWorkflow {
  const r = validateWorkflow({ version: "1", entry: "a", nodes, edges, parallel }, { tools: toolCatalog });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.compiled;
}

/**
 * Drive the planner as an engine would: every node succeeds; `scopes` gives the scope a node's
 * outbound conditions see (routers put their branch there). Returns the batches started.
 */
function simulate(w: CompiledWorkflow, scopes: Record<string, Record<string, unknown>> = {}) {
  const planner = new RunPlanner(w);
  const batches: string[][] = [];
  for (let guard = 0; guard < 100 && !planner.finished; guard++) {
    const batch = planner.next();
    if (batch.length === 0) break;
    batches.push(batch);
    for (const id of batch) planner.start(id);
    for (const id of batch) planner.complete(id, "succeeded", scopes[id] ?? {});
  }
  return { batches, skipped: planner.skipped, planner };
}

const diamond = () =>
  compile(
    [llm("a"), llm("b"), llm("c"), llm("d")],
    [
      { from: "a", to: "b" },
      { from: "a", to: "c" },
      { from: "b", to: "d" },
      { from: "c", to: "d" },
    ],
  );

describe("compiler", () => {
  it("computes topological order, levels, parents and ancestors of a diamond", () => {
    const w = diamond();
    expect(w.order).toEqual(["a", "b", "c", "d"]);
    expect(w.levels).toEqual([["a"], ["b", "c"], ["d"]]);
    expect(w.parents.get("d")).toEqual(["b", "c"]);
    expect(w.ancestors.of("d")).toEqual(["a", "b", "c"]);
    expect(w.ancestors.has("d", "a")).toBe(true);
    expect(w.ancestors.has("b", "c")).toBe(false);
    expect(w.ancestors.has("a", "a")).toBe(false);
  });

  it("puts a node on the level after its deepest parent (fan-in of unequal paths)", () => {
    const w = compile(
      [llm("a"), llm("b"), llm("c"), llm("d")],
      [
        { from: "a", to: "b" },
        { from: "b", to: "c" },
        { from: "a", to: "d" },
        { from: "c", to: "d" },
      ],
    );
    expect(w.levels).toEqual([["a"], ["b"], ["c"], ["d"]]);
  });

  it("runs sequentially by default, one node at a time in topological order", () => {
    expect(simulate(diamond()).batches).toEqual([["a"], ["b"], ["c"], ["d"]]);
  });

  it("runs a level concurrently when parallel is set", () => {
    const w = compile(
      [llm("a"), llm("b"), llm("c"), llm("d"), llm("e")],
      [
        { from: "a", to: "b" },
        { from: "a", to: "c" },
        { from: "a", to: "d" },
        { from: "b", to: "e" },
        { from: "c", to: "e" },
        { from: "d", to: "e" },
      ],
      true,
    );
    expect(simulate(w).batches).toEqual([["a"], ["b", "c", "d"], ["e"]]);
  });

  it("takes only the router branch whose condition holds and skips the rest, transitively", () => {
    const w = compile(
      [router("a", "'deep'"), llm("deep"), llm("shallow"), llm("report"), llm("after_shallow")],
      [
        { from: "a", to: "deep", when: "branch == 'deep'" },
        { from: "a", to: "shallow", when: "branch == 'shallow'" },
        { from: "deep", to: "report" },
        { from: "shallow", to: "after_shallow" },
      ],
    );
    const deep = simulate(w, { a: { branch: "deep" } });
    expect(deep.batches.flat()).toEqual(["a", "deep", "report"]);
    expect(deep.skipped).toEqual(["shallow", "after_shallow"]);
    const shallow = simulate(w, { a: { branch: "shallow" } });
    expect(shallow.batches.flat()).toEqual(["a", "shallow", "after_shallow"]);
    expect(shallow.skipped).toEqual(["deep", "report"]);
  });

  it("runs a fan-in node when at least one inbound edge is active", () => {
    const w = compile(
      [router("a", "'x'"), llm("b"), llm("c"), llm("join")],
      [
        { from: "a", to: "b", when: "branch == 'x'" },
        { from: "a", to: "c", when: "branch == 'y'" },
        { from: "b", to: "join" },
        { from: "c", to: "join" },
      ],
    );
    const r = simulate(w, { a: { branch: "x" } });
    expect(r.batches.flat()).toEqual(["a", "b", "join"]);
    expect(r.skipped).toEqual(["c"]);
  });

  it("skips a fan-in node when none of its inbound edges is active", () => {
    const w = compile(
      [router("a", "'z'"), llm("b"), llm("c"), llm("join")],
      [
        { from: "a", to: "b", when: "branch == 'x'" },
        { from: "a", to: "c", when: "branch == 'y'" },
        { from: "b", to: "join" },
        { from: "c", to: "join" },
      ],
    );
    const r = simulate(w, { a: { branch: "z" } });
    expect(r.batches.flat()).toEqual(["a"]);
    expect(r.skipped).toEqual(["b", "c", "join"]);
    expect(r.planner.finished).toBe(true);
  });

  it("gates fan-out edges on the source's output", () => {
    const w = compile(
      [llm("a"), llm("long"), llm("short")],
      [
        { from: "a", to: "long", when: "len(output) > 10" },
        { from: "a", to: "short", when: "len(output) <= 10" },
      ],
    );
    expect(simulate(w, { a: { output: "tiny" } }).batches.flat()).toEqual(["a", "short"]);
    expect(simulate(w, { a: { output: "a much longer text" } }).batches.flat()).toEqual(["a", "long"]);
  });

  it("does not start a node before all of its parents have finished", () => {
    const w = diamond();
    const p = new RunPlanner(w);
    expect(p.next()).toEqual(["a"]);
    p.start("a");
    expect(p.next()).toEqual([]);
    p.complete("a", "succeeded");
    expect(p.next()).toEqual(["b"]);
    p.start("b");
    p.complete("b", "succeeded");
    expect(p.next()).toEqual(["c"]);
  });

  it("resumes from restored outcomes without re-running finished nodes", () => {
    const w = diamond();
    const p = new RunPlanner(w);
    p.restore("a", "succeeded", [0, 1]);
    p.restore("b", "succeeded", [2]);
    expect(p.next()).toEqual(["c"]);
  });
});
