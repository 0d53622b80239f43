import { describe, expect, it } from "vitest";
import { metricsWindow, rate } from "./range.ts";

describe("metricsWindow", () => {
  const now = new Date("2026-12-06T14:35:12.345Z");

  it("24h: 24 whole UTC hours ending with the current one", () => {
    const w = metricsWindow("24h", now);
    expect(w.bucket).toBe("hour");
    expect(w.buckets).toHaveLength(24);
    expect(w.from.toISOString()).toBe("2026-12-05T15:00:00.000Z");
    expect(w.to.toISOString()).toBe("2026-12-06T15:00:00.000Z");
    expect(w.buckets.at(-1)?.toISOString()).toBe("2026-12-06T14:00:00.000Z");
  });

  it("7d and 30d: whole UTC days ending with today", () => {
    const week = metricsWindow("7d", now);
    expect(week.bucket).toBe("day");
    expect(week.from.toISOString()).toBe("2026-11-30T00:00:00.000Z");
    expect(week.to.toISOString()).toBe("2026-12-07T00:00:00.000Z");
    expect(metricsWindow("30d", now).buckets).toHaveLength(30);
    expect(metricsWindow("30d", now).from.toISOString()).toBe("2026-11-07T00:00:00.000Z");
  });

  it("a rate of nothing is unknown, not zero", () => {
    expect(rate(0, 0)).toBeNull();
    expect(rate(1, 4)).toBe(0.25);
  });
});
