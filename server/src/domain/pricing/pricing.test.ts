import { describe, expect, it } from "vitest";
import { Cents } from "./money.ts";
import { costLines, costOf, EMPTY_USAGE, PriceMap, totalTokens } from "./pricing.ts";

const prices = PriceMap.defaults();
const usage = (u: Partial<typeof EMPTY_USAGE>) => ({ ...EMPTY_USAGE, ...u });

describe("Cents", () => {
  it("adds exactly where floats drift", () => {
    const tenth = Cents.parse("0.1");
    const sum = Cents.sum(Array.from({ length: 10 }, () => tenth));
    expect(sum.toString()).toBe("1");
    expect(Array.from({ length: 10 }, () => 0.1).reduce((a, b) => a + b)).not.toBe(1);
    expect(Cents.parse("0.000000000001").add(Cents.parse("2")).toString()).toBe("2.000000000001");
    expect(Cents.ZERO.toString()).toBe("0");
    expect(() => Cents.parse("1e-3")).toThrow(RangeError);
  });
});

describe("PriceMap", () => {
  it("prices the spec's models, with claude-3.5-sonnet as an alias of the dated id", () => {
    expect(prices.resolve("openai", "gpt-4o-mini")?.key).toBe("openai/gpt-4o-mini");
    expect(prices.resolve("anthropic", "claude-3.5-sonnet")?.key).toBe("anthropic/claude-3-5-sonnet-20241022");
    expect(prices.resolve("openai", "gpt-4o-mini-2024-07-18")?.key).toBe("openai/gpt-4o-mini");
    expect(prices.resolve("openai", "no-such-model")).toBeNull();
    expect(prices.cost("openai", "no-such-model", usage({ inputTokens: 5 }))).toBeNull();
  });

  it("charges OpenAI cached prompt tokens at the cached price and reasoning as output", () => {
    // gpt-4o-mini: 0.15 input, 0.075 cached, 0.60 output (USD / 1M)
    const c = prices.cost(
      "openai",
      "gpt-4o-mini",
      usage({ inputTokens: 1000, cachedInputTokens: 2000, outputTokens: 500, reasoningTokens: 200 }),
    );
    // 1000×0.15 + 2000×0.075 + 500×0.60 = 150 + 150 + 300 = 600 µUSD·M⁻¹… = 0.0006 USD = 0.06 cents
    expect(c?.toString()).toBe("0.06");
  });

  it("charges Anthropic cache reads and writes at their own prices", () => {
    // claude-3-5-sonnet: 3 input, 0.30 read, 3.75 write, 15 output
    const c = prices.cost(
      "anthropic",
      "claude-3.5-sonnet",
      usage({ inputTokens: 100, cachedInputTokens: 10_000, cacheWriteTokens: 1_000, outputTokens: 200 }),
    );
    // 100×3 + 10000×0.3 + 1000×3.75 + 200×15 = 300 + 3000 + 3750 + 3000 = 10050 µ → 0.01005 USD = 1.005 cents
    expect(c?.toString()).toBe("1.005");
  });

  it("never produces a negative or double-counted cost", () => {
    expect(() => costOf({ input: "1", output: "1" }, usage({ inputTokens: -1 }))).toThrow(/non-negative/);
    expect(() => costOf({ input: "1", output: "1" }, usage({ outputTokens: 1, reasoningTokens: 2 }))).toThrow(
      /cannot exceed outputTokens/,
    );
    expect(costOf({ input: "1", output: "1" }, EMPTY_USAGE).isZero()).toBe(true);
    expect(
      totalTokens(
        usage({ inputTokens: 1, cachedInputTokens: 2, cacheWriteTokens: 3, outputTokens: 4, reasoningTokens: 4 }),
      ),
    ).toBe(10);
  });

  it("is exact for the smallest prices (6 decimals of USD per 1M tokens)", () => {
    expect(costOf({ input: "0.000001", output: "0" }, usage({ inputTokens: 1 })).toString()).toBe("0.0000000001");
  });

  it("validates override files", () => {
    expect(() => PriceMap.fromData({ asOf: "x", models: { "gpt-4o": { input: "1", output: "2" } } })).toThrow(
      /invalid price map at models.gpt-4o: expected provider\/model/,
    );
    expect(() => PriceMap.fromData({ asOf: "x", models: { "a/b": { input: "-1", output: "2" } } })).toThrow(
      /invalid price map at models.a\/b.input/,
    );
    expect(() => PriceMap.fromData({ asOf: "x", models: {}, aliases: { "a/x": "a/y" } })).toThrow(/unknown a\/y/);
  });

  it("lists a source for every default price", () => {
    for (const [key, p] of prices.entries()) expect(p.source, key).toMatch(/^https:\/\//);
  });

  it("prices a named provider: its own entries, 0 for self-hosted, an alias to a priced model", () => {
    const map = PriceMap.fromData({
      extends: "builtin",
      asOf: "2026-12-03",
      models: { "local/*": { input: "0", output: "0" }, "together/llama-3-70b": { input: "0.88", output: "0.88" } },
      aliases: { "proxy/gpt-4o-mini": "openai/gpt-4o-mini" },
    });
    expect(map.cost("local", "any-model-at-all", usage({ inputTokens: 1000, outputTokens: 1000 }))?.toString()).toBe(
      "0",
    );
    expect(map.cost("together", "llama-3-70b", usage({ inputTokens: 1_000_000 }))?.toString()).toBe("88");
    expect(map.resolve("proxy", "gpt-4o-mini")?.key).toBe("openai/gpt-4o-mini");
    // extends: the built-in prices are still there; without it, the file replaces them.
    expect(map.resolve("openai", "gpt-4o")).not.toBeNull();
    const alone = PriceMap.fromData({ asOf: "x", models: { "local/*": { input: "0", output: "0" } } });
    expect(alone.resolve("openai", "gpt-4o")).toBeNull();
    expect(alone.resolve("other", "m")).toBeNull();
  });
});

describe("costLines", () => {
  const price = { input: "3", output: "15", cachedInput: "0.3", cacheWrite: "3.75" };
  const usage = {
    inputTokens: 1200,
    cachedInputTokens: 800,
    cacheWriteTokens: 333,
    outputTokens: 517,
    reasoningTokens: 100,
  };

  it("splits a call's cost by token class at the prices used, adding up to costOf exactly", () => {
    const lines = costLines(price, usage);
    expect(lines.map((l) => [l.tokenClass, l.tokens, l.usdPerMillion])).toEqual([
      ["input", 1200, "3"],
      ["cached_input", 800, "0.3"],
      ["cache_write", 333, "3.75"],
      ["output", 517, "15"],
    ]);
    expect(lines[2]?.costCents).toBe("0.124875");
    const sum = Cents.sum(lines.map((l) => Cents.parse(l.costCents)));
    expect(sum.toString()).toBe(costOf(price, usage).toString());
  });

  it("prices cached reads and writes at the input price when the model lists none", () => {
    const lines = costLines(
      { input: "0.15", output: "0.6" },
      { ...EMPTY_USAGE, cachedInputTokens: 10, cacheWriteTokens: 10 },
    );
    expect(lines.map((l) => l.usdPerMillion)).toEqual(["0.15", "0.15", "0.15", "0.6"]);
  });
});
