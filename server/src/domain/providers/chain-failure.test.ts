import { describe, expect, it } from "vitest";
import { ChainReport } from "./chain-failure.ts";
import { ProviderError } from "./errors.ts";

const err = (kind: ProviderError["kind"], reason: string, status?: number) =>
  new ProviderError(kind, `x answered ${reason}`, { provider: "x", model: "m", reason, ...(status ? { status } : {}) });

describe("ChainReport", () => {
  const chain = [
    { provider: "openai", model: "gpt-4o-mini" },
    { provider: "anthropic", model: "claude-3-5-haiku-20241022" },
    { provider: "local", model: "llama3" },
  ];

  it("lists the primary first, counts its attempts, and keeps its kind and status", () => {
    const report = new ChainReport(chain);
    report.failed(0, "gpt-4o-mini", err("rate_limited", '429 Too Many Requests "slow down"', 429));
    report.failed(0, "gpt-4o-mini", err("server", '500 Internal Server Error "boom"', 500));
    report.skipped(1, "claude-3-5-haiku-20241022", "not configured: set ANTHROPIC_API_KEY");
    report.failed(2, "llama3", err("connection", "connection failed: ECONNREFUSED"));
    const failure = report.failure();
    expect(failure?.message).toBe(
      'openai/gpt-4o-mini: 500 Internal Server Error "boom" after 2 attempts; fallback anthropic/claude-3-5-haiku-20241022 skipped: not configured: set ANTHROPIC_API_KEY; fallback local/llama3: connection failed: ECONNREFUSED after 1 attempt',
    );
    expect(failure?.kind).toBe("server");
    expect(failure?.details.status).toBe(500);
  });

  it("names the model as called (a binding may change it) and has no failure without one", () => {
    const report = new ChainReport(chain);
    expect(report.failure()).toBeNull();
    report.failed(1, "claude-sonnet-4-5", err("overloaded", '529 Overloaded "Overloaded"', 529));
    expect(report.summary()).toBe('fallback anthropic/claude-sonnet-4-5: 529 Overloaded "Overloaded" after 1 attempt');
  });
});
