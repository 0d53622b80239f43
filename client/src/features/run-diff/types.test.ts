import { describe, expect, it } from "vitest";
import { trend } from "./types.ts";

describe("diff trends", () => {
  it("calls a smaller figure in this run better, a larger worse, and missing ones unknown", () => {
    expect(trend(["0.02", "0.01"])).toBe("better");
    expect(trend([100, 250])).toBe("worse");
    expect(trend([3, 3])).toBe("same");
    expect(trend([null, 3])).toBe("unknown");
  });
});
