// The benchmarks are not part of the test suite, but a tiny run is, so they cannot rot.
import { describe, expect, it } from "vitest";
import { runNode } from "../helpers/process.ts";

describe("npm run bench", () => {
  it("runs end to end at smoke sizes", async () => {
    const out = await runNode(["--import", "tsx", "bench/run.ts", "--smoke"]);
    expect(out.stderr).toBe("");
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/validate \+ compile 1,000-node workflow/);
    expect(out.stdout).toMatch(/orchestration overhead/);
    expect(out.stdout).toMatch(/successRate/);
    expect(out.stdout).toMatch(/experiment \(in-process queue/);
  }, 180_000);
});
