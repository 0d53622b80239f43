// The folder layout is the architecture: domain/ is pure, transports never reach past services.
import { readdirSync, readFileSync } from "node:fs";
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
          expect(allowedPackages.has(spec), `${path.relative(SRC, file)} imports package ${spec}`).toBe(true);
        }
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
    expect([...sample.matchAll(/\.(workflowRun|runStep)\.(update|updateMany|upsert)\(\{[\s\S]*?\}\);/g)]).toHaveLength(1);
  });
});
