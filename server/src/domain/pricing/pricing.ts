/**
 * The price map and the cost formula. Cost = provider-reported usage × price per token class, in
 * exact fixed-point arithmetic (see money.ts). Unknown models have no price: callers get `null`,
 * never a silent 0.
 */
import { z } from "zod";
import { issueMessage } from "../zod-issues.ts";
import { Cents } from "./money.ts";
import defaults from "./prices.json" with { type: "json" };

const usdPerMillion = z
  .string()
  .regex(/^\d{1,6}(\.\d{1,6})?$/, { message: 'expected a decimal string of USD per 1M tokens, e.g. "0.15"' });

const modelPrice = z.strictObject({
  input: usdPerMillion,
  output: usdPerMillion,
  cachedInput: usdPerMillion.optional(),
  cacheWrite: usdPerMillion.optional(),
  source: z.string().optional(),
  asOf: z.string().optional(),
});

export const priceFileSchema = z.object({
  $comment: z.string().optional(),
  /** "builtin": this file adds to (and overrides entries of) the built-in price map instead of replacing it. */
  extends: z.literal("builtin").optional(),
  asOf: z.string(),
  models: z.record(z.string().regex(/^[^/\s]+\/\S+$/, { message: "expected provider/model" }), modelPrice),
  aliases: z.record(z.string(), z.string()).default({}),
});

export type PriceFile = z.infer<typeof priceFileSchema>;
export type ModelPrice = z.infer<typeof modelPrice>;

/** Token counts exactly as the provider reported them, normalised into disjoint classes. */
export { type Usage, usageSchema } from "@flowtrace/contract/usage";

import type { Usage } from "@flowtrace/contract/usage";

export const EMPTY_USAGE: Usage = Object.freeze({
  inputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
});

export function totalTokens(u: Usage): number {
  return u.inputTokens + u.cachedInputTokens + u.cacheWriteTokens + u.outputTokens;
}

/** Tokens that count as "input" in the spec's tokens_input column. */
export function promptTokens(u: Usage): number {
  return u.inputTokens + u.cachedInputTokens + u.cacheWriteTokens;
}

/** "0.075" USD per 1M tokens → 75000 micro-USD per 1M tokens. */
function micro(usd: string): bigint {
  const [whole = "0", frac = ""] = usd.split(".");
  return BigInt(whole) * 1_000_000n + BigInt(frac.padEnd(6, "0"));
}

export interface ResolvedPrice {
  key: string;
  price: ModelPrice;
}

export class PriceMap {
  private constructor(private readonly file: PriceFile) {}

  static fromData(data: unknown): PriceMap {
    const parsed = priceFileSchema.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(
        `invalid price map at ${issue?.path.join(".") || "(root)"}: ${issue ? issueMessage(issue) : "invalid"}`,
      );
    }
    const file = parsed.data.extends === "builtin" ? overBuiltin(parsed.data) : parsed.data;
    for (const [alias, target] of Object.entries(file.aliases)) {
      if (!file.models[target]) throw new Error(`invalid price map: alias ${alias} points to unknown ${target}`);
    }
    return new PriceMap(file);
  }

  static defaults(): PriceMap {
    return PriceMap.fromData(defaults);
  }

  get asOf(): string {
    return this.file.asOf;
  }

  entries(): [string, ModelPrice][] {
    return Object.entries(this.file.models);
  }

  aliases(): Record<string, string> {
    return { ...this.file.aliases };
  }

  /**
   * Find the price of provider/model: exact id, alias, a dated id's base model, or the provider's
   * `provider/*` entry (e.g. `"local/*": {"input": "0", "output": "0"}` for a self-hosted server).
   */
  resolve(provider: string, model: string): ResolvedPrice | null {
    const candidates = [`${provider}/${model}`];
    const undated = model.replace(/-\d{4}-\d{2}-\d{2}$|-\d{8}$/, "");
    if (undated !== model) candidates.push(`${provider}/${undated}`);
    candidates.push(`${provider}/*`);
    for (const key of candidates) {
      const direct = this.file.models[key];
      if (direct) return { key, price: direct };
      const target = this.file.aliases[key];
      const aliased = target ? this.file.models[target] : undefined;
      if (target && aliased) return { key: target, price: aliased };
    }
    return null;
  }

  /** Exact cost in cents, or null when the model has no price. */
  cost(provider: string, model: string, usage: Usage): Cents | null {
    const resolved = this.resolve(provider, model);
    return resolved ? costOf(resolved.price, usage) : null;
  }
}

/** A file with `extends: "builtin"`: the built-in map with the file's models and aliases over it. */
function overBuiltin(file: PriceFile): PriceFile {
  const builtin = priceFileSchema.parse(defaults);
  return {
    ...file,
    models: { ...builtin.models, ...file.models },
    aliases: { ...builtin.aliases, ...file.aliases },
  };
}

function assertCount(name: string, n: number) {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`usage.${name} must be a non-negative integer, got ${n}`);
}

/** One token class of a priced call: how many tokens, at which list price, for how much. */
export interface CostLine {
  tokenClass: "input" | "cached_input" | "cache_write" | "output";
  tokens: number;
  /** USD per 1M tokens, as the price map states it. */
  usdPerMillion: string;
  costCents: string;
}

/**
 * The cost of a call split by token class, each line at the price the formula used; the lines add
 * up to `costOf` exactly. Reasoning tokens are part of `output` (billed at the output price).
 */
export function costLines(price: ModelPrice, usage: Usage): CostLine[] {
  const classes = [
    ["input", usage.inputTokens, price.input],
    ["cached_input", usage.cachedInputTokens, price.cachedInput ?? price.input],
    ["cache_write", usage.cacheWriteTokens, price.cacheWrite ?? price.input],
    ["output", usage.outputTokens, price.output],
  ] as const;
  return classes.map(([tokenClass, tokens, usdPerMillion]) => ({
    tokenClass,
    tokens,
    usdPerMillion,
    costCents: Cents.fromUnits(BigInt(tokens) * micro(usdPerMillion) * 100n).toString(),
  }));
}

export function costOf(price: ModelPrice, usage: Usage): Cents {
  for (const k of [
    "inputTokens",
    "cachedInputTokens",
    "cacheWriteTokens",
    "outputTokens",
    "reasoningTokens",
  ] as const) {
    assertCount(k, usage[k]);
  }
  if (usage.reasoningTokens > usage.outputTokens) {
    throw new RangeError("usage.reasoningTokens cannot exceed outputTokens (reasoning is part of output)");
  }
  const input = micro(price.input);
  const cached = micro(price.cachedInput ?? price.input);
  const write = micro(price.cacheWrite ?? price.input);
  const output = micro(price.output);
  // tokens × µUSD per 1M tokens = 10⁻¹² USD = 10⁻¹⁰ cent = 100 units of 10⁻¹² cent.
  const units =
    (BigInt(usage.inputTokens) * input +
      BigInt(usage.cachedInputTokens) * cached +
      BigInt(usage.cacheWriteTokens) * write +
      BigInt(usage.outputTokens) * output) *
    100n;
  return Cents.fromUnits(units);
}
