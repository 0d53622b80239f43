import { describe, expect, it } from "vitest";
import {
  canMoveRun,
  canMoveStep,
  isFinalRun,
  isOpenStep,
  isResumableRun,
  narrowRunSources,
  RUN_STATUSES,
  runSourcesOf,
  STEP_STATUSES,
  stepSourcesOf,
} from "./run-status.ts";

describe("run and step status transitions", () => {
  it("never moves a run out of a final status", () => {
    for (const from of RUN_STATUSES.filter(isFinalRun)) {
      for (const to of RUN_STATUSES) expect(canMoveRun(from, to), `${from} → ${to}`).toBe(false);
    }
  });

  it("starts, parks, resumes and ends runs along the table", () => {
    expect(canMoveRun("queued", "running")).toBe(true);
    expect(canMoveRun("running", "waiting")).toBe(true);
    expect(canMoveRun("waiting", "queued")).toBe(true);
    expect(canMoveRun("queued", "waiting")).toBe(false);
    expect(canMoveRun("waiting", "succeeded")).toBe(false);
    expect(runSourcesOf("waiting")).toEqual(["running"]);
    expect(runSourcesOf("canceled")).toEqual(["queued", "running", "waiting"]);
  });

  it("says which runs a job would still execute", () => {
    expect(RUN_STATUSES.filter(isResumableRun)).toEqual(["queued", "running"]);
  });

  it("never reopens an ended step; a succeeded step may only store its answer again", () => {
    for (const to of STEP_STATUSES) {
      expect(canMoveStep("failed", to)).toBe(false);
      expect(canMoveStep("canceled", to)).toBe(false);
      expect(canMoveStep("succeeded", to)).toBe(to === "succeeded");
    }
    expect(stepSourcesOf("running")).toEqual(["queued", "running", "waiting"]);
    expect(STEP_STATUSES.filter(isOpenStep)).toEqual(["queued", "running", "waiting"]);
  });

  it("lets a caller narrow a move's sources but never widen them", () => {
    expect(narrowRunSources("failed", ["queued"])).toEqual(["queued"]);
    expect(() => narrowRunSources("queued", ["canceled"])).toThrow("a run cannot move from canceled to queued");
  });
});
