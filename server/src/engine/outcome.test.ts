import { describe, expect, it } from "vitest";
import { HandoffError } from "../domain/handoff.ts";
import { ProviderError } from "../domain/providers/errors.ts";
import { TemplateError } from "../domain/workflow/templates.ts";
import { ToolError } from "../tools/types.ts";
import { LimitExceededError } from "./budget.ts";
import { errorKind, isHandBack, runOutcomeFor, stepStatusFor } from "./outcome.ts";
import { CanceledError } from "./run-signals.ts";

const provider = (kind: ProviderError["kind"]) =>
  new ProviderError(kind, `openai ${kind}`, { provider: "openai", model: "m" });

describe("what an error means", () => {
  it("names the step.failed kind of every error the engine knows, and internal for the rest", () => {
    expect(errorKind(provider("rate_limited"))).toBe("provider.rate_limited");
    expect(errorKind(new ToolError("x"))).toBe("tool");
    expect(errorKind(new TemplateError("x"))).toBe("template");
    expect(errorKind(new LimitExceededError("cost", "x"))).toBe("limit.cost");
    expect(errorKind(new CanceledError("x"))).toBe("canceled");
    expect(errorKind(new TypeError("boom"))).toBe("internal");
  });

  it("ends a run canceled, failed with the limit's summary, or failed as an internal error", () => {
    expect(runOutcomeFor(new CanceledError("run canceled"))).toEqual({ status: "canceled", summary: "canceled" });
    expect(runOutcomeFor(new LimitExceededError("tokens", "9 of 5 used"))).toEqual({
      status: "failed",
      summary: "limit.tokens: 9 of 5 used",
    });
    expect(runOutcomeFor(provider("server"))).toEqual({ status: "failed", summary: "openai server" });
    expect(runOutcomeFor(new TypeError("boom"))).toEqual({ status: "failed", summary: "internal error: boom" });
  });

  it("marks a step canceled only when the run was canceled", () => {
    expect(stepStatusFor(new CanceledError("x"), provider("canceled"))).toBe("canceled");
    expect(stepStatusFor(provider("canceled"), provider("canceled"))).toBe("failed");
    expect(stepStatusFor(provider("server"), provider("server"))).toBe("failed");
    expect(isHandBack(new HandoffError())).toBe(true);
    expect(isHandBack(new CanceledError("x"))).toBe(false);
  });
});
