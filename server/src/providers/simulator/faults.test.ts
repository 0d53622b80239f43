import { describe, expect, it } from "vitest";
import { FaultPlan, parseFaultHeader, statusFaultMessage } from "./faults.ts";

const call = (provider: "openai" | "anthropic", model = "m", prompt = "p") => ({ provider, model, prompt });

describe("the simulator's fault plan", () => {
  it("fails the first `count` matching calls of the plan, by provider and model", () => {
    const plan = new FaultPlan(1, [{ provider: "openai", model: "gpt", status: 503, count: 2 }]);
    expect(plan.pick(call("anthropic", "gpt"), undefined)).toBeNull();
    expect(plan.pick(call("openai", "other"), undefined)).toBeNull();
    expect(plan.pick(call("openai", "gpt"), undefined)?.status).toBe(503);
    expect(plan.pick(call("openai", "gpt"), undefined)?.status).toBe(503);
    expect(plan.pick(call("openai", "gpt"), undefined)).toBeNull();
  });

  it("counts a header fault per (header, model, prompt), so a retry sees the count drop", () => {
    const plan = new FaultPlan(1);
    const header = "status=500;count=1";
    expect(plan.pick(call("openai"), header)?.status).toBe(500);
    expect(plan.pick(call("openai"), header)).toBeNull();
    expect(plan.pick(call("openai", "m", "another prompt"), header)?.status).toBe(500);
    plan.resetHeaderCounts();
    expect(plan.pick(call("openai"), header)?.status).toBe(500);
  });

  it("draws probabilistic faults from a seed: the same seed, the same failures", () => {
    const draw = (seed: number) => {
      const plan = new FaultPlan(seed, [{ kind: "timeout", probability: 0.3 }]);
      return Array.from({ length: 40 }, () => plan.pick(call("openai"), undefined) !== null);
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7).filter(Boolean).length).toBeGreaterThan(3);
    expect(draw(7)).not.toEqual(draw(8));
  });

  it("reads fault headers and words status faults like the vendors (echoing a key, as careless proxies do)", () => {
    expect(parseFaultHeader("kind=stream_error;errorType=overloaded_error")).toMatchObject({
      kind: "stream_error",
      errorType: "overloaded_error",
    });
    expect(parseFaultHeader("kind=nonsense")).toBeNull();
    expect(parseFaultHeader(undefined)).toBeNull();
    expect(statusFaultMessage(529, "k")).toBe("Overloaded");
    expect(statusFaultMessage(401, "Bearer sk-abc")).toBe("Incorrect API key provided: sk-abc");
  });
});
