// The folder layout is the architecture: domain/ is pure, transports never reach past services.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const SRC = new URL("../../src/", import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "generated" ? [] : files(full);
    return /\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [full] : [];
  });
}

const importsOf = (file: string) =>
  [...readFileSync(file, "utf8").matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gm)].map(
    (m) => m[1] as string,
  );

describe("architecture", () => {
  it("keeps domain/ pure: no I/O modules, no imports from outside domain/", () => {
    const allowedPackages = new Set(["zod", "jsep", "re2js", "diff", "microdiff"]);
    for (const file of files(path.join(SRC, "domain"))) {
      for (const spec of importsOf(file)) {
        if (spec.startsWith(".")) {
          const target = path.resolve(path.dirname(file), spec);
          expect(target.startsWith(path.join(SRC, "domain")), `${file} imports ${spec}`).toBe(true);
        } else {
          const shared = spec.startsWith("@flowtrace/contract/");
          expect(allowedPackages.has(spec) || shared, `${path.relative(SRC, file)} imports package ${spec}`).toBe(true);
        }
      }
    }
  });

  it("keeps the shared contract package pure: zod, re2js (regex safety) and its own files only", () => {
    const dir = new URL("../../../packages/contract/src/", import.meta.url).pathname;
    for (const file of files(dir)) {
      for (const spec of importsOf(file)) {
        const allowed = spec === "zod" || spec === "re2js" || spec.startsWith("./") || spec.startsWith("../");
        expect(allowed, `${path.relative(dir, file)} imports ${spec}`).toBe(true);
      }
    }
  });

  it("keeps the engine off the simulator: it calls providers, whatever answers them", () => {
    for (const file of files(path.join(SRC, "engine"))) {
      for (const spec of importsOf(file)) {
        expect(spec, `${path.relative(SRC, file)} imports ${spec}`).not.toMatch(/simulator/);
      }
    }
  });

  it("keeps the transports thin: REST routes and GraphQL resolvers read and write through services/", () => {
    for (const dir of ["rest", "graphql"]) {
      for (const file of files(path.join(SRC, dir))) {
        expect(readFileSync(file, "utf8"), path.relative(SRC, file)).not.toMatch(
          /\bprisma\.(workflow|workflowRun|runStep|traceEvent|providerBinding|llmCache|\$queryRaw|\$executeRaw)\b/,
        );
      }
    }
  });

  it("reads process.env only in config/env.ts", () => {
    for (const file of files(SRC)) {
      if (file.endsWith(path.join("config", "env.ts"))) continue;
      expect(readFileSync(file, "utf8"), path.relative(SRC, file)).not.toMatch(/process\.env/);
    }
  });

  it("writes run and step status only in the run store (engine/run-store.ts)", () => {
    const store = path.join(SRC, "engine", "run-store.ts");
    // A Prisma update of a run or step row whose data sets `status`, or SQL that sets it.
    const prismaWrite = /\.(workflowRun|runStep)\.(update|updateMany|upsert)\(\{[\s\S]*?\}\);/g;
    const sqlWrite = /UPDATE\s+(workflow_runs|run_steps)\s+SET[\s\S]*?\bstatus\s*=/i;
    for (const file of files(SRC)) {
      if (file === store) continue;
      const text = readFileSync(file, "utf8");
      const writes = [...text.matchAll(prismaWrite)].map((m) => m[0]).filter((w) => /\bstatus\s*:/.test(w));
      expect(writes, `${path.relative(SRC, file)} writes a status`).toEqual([]);
      expect(text, path.relative(SRC, file)).not.toMatch(sqlWrite);
    }
  });

  it("the test above would see a status write", () => {
    const sample = `await prisma.runStep.updateMany({ where: { id }, data: { status: "skipped" } });`;
    expect([...sample.matchAll(/\.(workflowRun|runStep)\.(update|updateMany|upsert)\(\{[\s\S]*?\}\);/g)]).toHaveLength(
      1,
    );
  });

  it("wires processes in one place: resources and the engine are built only by stack.ts; the CLI holds no database code", () => {
    for (const file of files(SRC)) {
      const rel = path.relative(SRC, file);
      const text = readFileSync(file, "utf8");
      if (rel !== "stack.ts" && rel !== "resources.ts" && !rel.startsWith("engine")) {
        expect(text, rel).not.toMatch(/\bcreateResources\(|\bcreateEngine\(/);
      }
      if (rel.startsWith(`cli${path.sep}`)) {
        expect(text, rel).not.toMatch(/\bprisma\.|db\/prisma\.ts|\bexecuteRun\(/);
      }
    }
  });

  it("lets each dashboard feature own its pages and data: no pages/ folder, no central documents file, a README each", () => {
    expect(existsSync(path.join(CLIENT_SRC, "pages"))).toBe(false);
    expect(existsSync(path.join(CLIENT_SRC, "app", "documents.ts"))).toBe(false);
    const features = readdirSync(path.join(CLIENT_SRC, "features"), { withFileTypes: true }).filter((e) =>
      e.isDirectory(),
    );
    expect(features.length).toBeGreaterThan(5);
    for (const f of features)
      expect(existsSync(path.join(CLIENT_SRC, "features", f.name, "README.md")), f.name).toBe(true);
  });

  it("has no import circle in server/src or client/src (type-only imports included)", () => {
    for (const root of [SRC, CLIENT_SRC]) {
      const circles = importCircles(sourceFiles(root)).map((c) => c.map((f) => path.relative(root, f)).join(" → "));
      expect(circles, root).toEqual([]);
    }
  });

  it("finds a circle when there is one", () => {
    const graph = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a"]],
      ["d", ["a"]],
    ]);
    expect(stronglyConnected(graph).map((c) => c.sort())).toEqual([["a", "b", "c"]]);
  });

  it("keeps infrastructure below the database: observability, providers, tools, queue, realtime and config never import db/", () => {
    for (const dir of ["observability", "providers", "tools", "queue", "realtime", "config"]) {
      for (const file of files(path.join(SRC, dir))) {
        for (const spec of importsOf(file)) {
          expect(spec, `${path.relative(SRC, file)} imports ${spec}`).not.toMatch(/(^|\/)db\//);
        }
      }
    }
  });

  it("tells node kinds apart only in the registries (engine, domain, editor)", () => {
    const kindNames = "llm|agent|tool|router|approval|code|workflow";
    const byType = new RegExp(
      `(\\.type|nodeType)\\s*(===|!==)\\s*"(${kindNames})"|nodeType: "(${kindNames})"|case "(${kindNames})":`,
    );
    // The approval feature's own service asks whether a node is an approval (404 or 409).
    const allowed = new Set([path.join(SRC, "services", "approvals.ts")]);
    for (const file of [...sourceFiles(SRC), ...sourceFiles(CLIENT_SRC)]) {
      if (allowed.has(file) || file.includes(`${path.sep}kinds${path.sep}`)) continue;
      const hits = readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => byType.test(line));
      expect(hits, path.relative(path.join(SRC, "..", ".."), file)).toEqual([]);
    }
  });
});

const CLIENT_SRC = new URL("../../../client/src/", import.meta.url).pathname;

/** Source files (.ts, .tsx) under `dir`, without tests and generated code. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory())
      return e.name === "generated" || full === path.join(CLIENT_SRC, "graphql") ? [] : sourceFiles(full);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [full] : [];
  });
}

/** The groups of files that import each other, directly or around a circle. */
function importCircles(all: string[]): string[][] {
  const known = new Set(all);
  const graph = new Map(
    all.map((file) => [
      file,
      importsOf(file)
        .filter((spec) => spec.startsWith("."))
        .map((spec) => path.resolve(path.dirname(file), spec))
        .filter((target) => known.has(target)),
    ]),
  );
  return stronglyConnected(graph);
}

/** Tarjan's strongly connected components of more than one node (a file importing itself aside). */
function stronglyConnected(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v) as number);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) group.push(w);
    if (group.length > 1) found.push(group);
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}
