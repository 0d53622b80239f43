/**
 * Scoring one experiment item's finished run: the pure scorers (domain/eval/scorers.ts) with a JSON
 * Schema validator (ajv), and the LLM judge — a call through the configured providers, retried on
 * transient failures like a step, priced, its tokens and cost kept apart from the workflow's.
 */
import { Ajv, type ValidateFunction } from "ajv";
import { JUDGE_SYSTEM, judgePrompt, parseVerdict } from "../domain/eval/judge.ts";
import {
  applyScorer,
  type JsonSchemaCheck,
  type NamedScorer,
  type Score,
  type ScoredRun,
} from "../domain/eval/scorers.ts";
import { Cents } from "../domain/pricing/money.ts";
import type { PriceMap } from "../domain/pricing/pricing.ts";
import { totalTokens } from "../domain/pricing/pricing.ts";
import { ProviderError } from "../domain/providers/errors.ts";
import { backoffDelay, DEFAULT_RETRY } from "../domain/providers/retry-policy.ts";
import type { ProviderRegistry } from "../providers/registry.ts";

export interface ScoringDeps {
  providers: ProviderRegistry;
  prices: PriceMap;
  sleep?: (ms: number) => Promise<void>;
}

export interface ItemScoring {
  scores: Score[];
  passed: boolean;
  judgeTokens: number;
  judgeCost: Cents;
  judgeCostComplete: boolean;
}

const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new Map<string, ValidateFunction>();

/** ajv, compiled once per schema: problems as `path: message` ("" path: the value itself). */
export const checkJsonSchema: JsonSchemaCheck = (schema, value) => {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    try {
      validate = ajv.compile(schema);
    } catch (error) {
      return [`the scorer's schema is invalid: ${(error as Error).message}`];
    }
    if (compiled.size > 200) compiled.clear();
    compiled.set(key, validate);
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "(value)"} ${e.message ?? "is invalid"}`);
};

/** Score a finished run with every scorer; the item passes when all of them pass. */
export async function scoreItem(
  deps: ScoringDeps,
  scorers: readonly NamedScorer[],
  run: (s: NamedScorer) => ScoredRun,
) {
  const judged: ItemScoring = {
    scores: [],
    passed: true,
    judgeTokens: 0,
    judgeCost: Cents.ZERO,
    judgeCostComplete: true,
  };
  for (const scorer of scorers) {
    const input = run(scorer);
    const score =
      scorer.type === "llm_judge"
        ? await judge(deps, scorer, input, judged)
        : applyScorer(scorer, input, checkJsonSchema);
    judged.scores.push(score);
    judged.passed &&= score.pass;
  }
  return judged;
}

type JudgeScorer = Extract<NamedScorer, { type: "llm_judge" }>;

async function judge(deps: ScoringDeps, s: JudgeScorer, run: ScoredRun, spent: ItemScoring): Promise<Score> {
  if (run.status !== "succeeded") {
    return {
      scorer: s.name,
      pass: false,
      score: 0,
      reason: `the run ${run.status}: ${run.error ?? "no error recorded"}`,
    };
  }
  if (!run.outputPresent)
    return {
      scorer: s.name,
      pass: false,
      score: 0,
      reason: s.node ? `node ${s.node} did not run` : "the run has no output",
    };
  const provider = deps.providers.get(s.provider);
  if (!provider || provider.unavailable) {
    const why = provider?.unavailable ?? "no such provider is configured";
    return {
      scorer: s.name,
      pass: false,
      score: 0,
      reason: `the judge ${s.provider}/${s.model} could not be called: ${why}`,
    };
  }
  try {
    const result = await callWithRetries(deps, () =>
      provider.complete({
        model: s.model,
        system: JUDGE_SYSTEM,
        prompt: judgePrompt(s.rubric, run.output, run.expected),
        temperature: 0,
        maxTokens: 256,
        timeoutMs: 60_000,
      }),
    );
    spent.judgeTokens += totalTokens(result.usage);
    const cost = deps.prices.cost(provider.name, s.model, result.usage);
    if (cost) spent.judgeCost = spent.judgeCost.add(cost);
    else spent.judgeCostComplete = false;
    return parseVerdict(s.name, result.text, s.threshold);
  } catch (error) {
    return {
      scorer: s.name,
      pass: false,
      score: 0,
      reason: `the judge ${s.provider}/${s.model} failed: ${(error as Error).message}`,
    };
  }
}

/** The call, retried on transient provider failures (DEFAULT_RETRY, honouring retry-after). */
async function callWithRetries<T>(deps: ScoringDeps, call: () => Promise<T>): Promise<T> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let retry = 0; ; retry++) {
    try {
      return await call();
    } catch (error) {
      const transient = error instanceof ProviderError && error.transient;
      if (!transient || retry >= DEFAULT_RETRY.attempts) throw error;
      await sleep(backoffDelay(DEFAULT_RETRY, retry + 1, (error as ProviderError).details.retryAfterMs));
    }
  }
}
