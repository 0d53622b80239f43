import { describe, expect, it } from "vitest";
import { ExpressionRuntimeError } from "../../../domain/expression/evaluate.ts";
import type { TraceEventKind } from "../../../domain/trace/events.ts";
import type { RouterNode } from "../../../domain/workflow/schema.ts";
import type { StepContext } from "../../step-context.ts";
import { runRouterStep } from "./handler.ts";

const router = (rule: string) => ({ id: "r", type: "router", name: "Route", config: { rule } }) as RouterNode;

function recorded() {
  const events: { kind: TraceEventKind; payload: unknown }[] = [];
  const recorder = {
    emit: (kind: TraceEventKind, _s: string | null, payload: unknown) => events.push({ kind, payload }),
  };
  return { ctx: { recorder, stepId: "s1" } as unknown as Pick<StepContext, "recorder" | "stepId">, events };
}

describe("the router step", () => {
  it("evaluates its rule over the scope, traces the branch, and costs nothing", () => {
    const { ctx, events } = recorded();
    const { result, branch } = runRouterStep(router("len(text) > 3 ? 'long' : 'short'"), { text: "hello" }, ctx);
    expect(branch).toBe("long");
    expect(result).toMatchObject({ output: "long", tokensInput: 0, tokensOutput: 0, cached: false });
    expect(result.cost?.toString()).toBe("0");
    expect(events).toEqual([
      { kind: "router.branch", payload: { rule: "len(text) > 3 ? 'long' : 'short'", branch: "long", scope: ["text"] } },
    ]);
  });

  it("fails with an expression error when the rule does not parse", () => {
    const { ctx } = recorded();
    expect(() => runRouterStep(router("len(("), {}, ctx)).toThrow(ExpressionRuntimeError);
  });
});
