// The benchmarks are not part of the test suite, but a tiny run is, so they cannot rot.
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { cleanEnv, ROOT } from "../helpers/process.ts";

describe("npm run bench", () => {
  it("runs end to end at smoke sizes", async () => {
    const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", "bench/run.ts", "--smoke"], {
        cwd: ROOT,
        env: cleanEnv({}),
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => {
        stdout += d;
      });
      child.stderr.on("data", (d) => {
        stderr += d;
      });
      child.on("exit", (code) => resolve({ code, stdout, stderr }));
    });
    expect(out.stderr).toBe("");
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/validate \+ compile 1,000-node workflow/);
    expect(out.stdout).toMatch(/orchestration overhead/);
    expect(out.stdout).toMatch(/successRate/);
  }, 180_000);
});
