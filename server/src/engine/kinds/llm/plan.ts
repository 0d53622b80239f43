/**
 * An LLM step's plan, made once before any call: the rendered prompt, limits, retry policy, cache
 * settings and the fallback chain — and the chain's targets with the run's provider bindings applied.
 */
import { canonicalJson } from "../../../domain/canonical-json.ts";
import { DEFAULT_RETRY, type RetryPolicy } from "../../../domain/providers/retry-policy.ts";
import type { AgentNode, LlmNode } from "../../../domain/workflow/schema.ts";
import { renderString, type TemplateContext } from "../../../domain/workflow/templates.ts";
import type { ChatMessage, LlmProvider, ResponseFormat, ToolUse } from "../../../providers/types.ts";
import { unconfiguredProvider } from "../../../providers/unconfigured.ts";
import type { LlmContext } from "./context.ts";

/**
 * The default fallback when a node names none (set `fallbacks: []` to disable): OpenAI → Anthropic
 * and Anthropic → OpenAI, each with a comparable model.
 */
export function defaultFallbacks(provider: string, model: string): { provider: string; model: string }[] {
  if (provider === "openai") {
    const big = /gpt-4o(?!-mini)|gpt-4\.1(?!-mini|-nano)|gpt-5(?!-mini|-nano)|o3(?!-mini)/.test(model);
    return [{ provider: "anthropic", model: big ? "claude-3-5-sonnet-20241022" : "claude-3-5-haiku-20241022" }];
  }
  if (provider === "anthropic") {
    return [{ provider: "openai", model: /haiku/.test(model) ? "gpt-4o-mini" : "gpt-4o" }];
  }
  return [];
}

export function defaultPrompt(inputs: Record<string, unknown>): string {
  const values = Object.values(inputs);
  if (values.length === 1 && typeof values[0] === "string") return values[0];
  return canonicalJson(inputs);
}

/** Everything a step's calls share: the rendered prompt, limits, retry policy, cache and chain. */
export interface CallPlan {
  system: string | null;
  prompt: string;
  inputs: Record<string, unknown>;
  maxTokens: number;
  timeoutMs: number;
  policy: RetryPolicy;
  cacheEnabled: boolean;
  ttlSeconds: number | undefined;
  chain: { provider: string; model: string }[];
  /** Demo only: the simulator fault the primary provider is asked to inject (node.config.fault). */
  fault: string | undefined;
  /** An agent's call: the conversation so far, its tools and answer format (absent for an `llm` step). */
  conversation?: PlannedConversation;
  /** An `llm` step's structured answer (`output.schema`); an agent's is in its conversation. */
  responseFormat?: ResponseFormat;
}

/** An agent's model call: everything after the system prompt, what the model may call, and the iteration. */
export interface PlannedConversation {
  messages: ChatMessage[];
  toolUse: ToolUse | undefined;
  responseFormat: ResponseFormat | undefined;
  iteration: number;
}

type CallConfig = LlmNode["config"] | AgentNode["config"];

export function planCalls(
  node: { config: CallConfig },
  inputs: Record<string, unknown>,
  tctx: TemplateContext,
): CallPlan {
  const cfg = node.config;
  const fault = "fault" in cfg ? cfg.fault : undefined;
  return {
    system: cfg.system !== undefined ? renderString(cfg.system, tctx) : null,
    prompt: cfg.prompt !== undefined ? renderString(cfg.prompt, tctx) : defaultPrompt(inputs),
    inputs,
    maxTokens: cfg.maxTokens ?? 1024,
    timeoutMs: cfg.timeoutMs ?? 60_000,
    policy: {
      attempts: cfg.retry?.attempts ?? DEFAULT_RETRY.attempts,
      baseMs: cfg.retry?.backoffBaseMs ?? DEFAULT_RETRY.baseMs,
      maxMs: cfg.retry?.backoffMaxMs ?? DEFAULT_RETRY.maxMs,
    },
    // A node with a forced (demo) fault bypasses the cache, so the error it asks for really happens.
    cacheEnabled: cfg.cache !== false && !(typeof cfg.cache === "object" && cfg.cache.enabled === false) && !fault,
    ttlSeconds: typeof cfg.cache === "object" ? cfg.cache.ttlSeconds : undefined,
    chain: [
      { provider: cfg.provider, model: cfg.model },
      ...(cfg.fallbacks ?? defaultFallbacks(cfg.provider, cfg.model)),
    ],
    fault,
    ...("output" in cfg && cfg.output && !("tools" in cfg)
      ? { responseFormat: { name: cfg.output.name ?? "answer", schema: cfg.output.schema } }
      : {}),
  };
}

/** One entry of the chain as it will be called: its position, the binding applied, and its provider. */
export interface Target {
  index: number;
  provider: string;
  model: string;
  temperature: number | undefined;
  binding: { model: string; temperature: number | null } | undefined;
  client: LlmProvider;
  /** Why this fallback cannot be called (its provider is not configured); it is skipped when reached. */
  unavailable: string | undefined;
}

/**
 * The chain with bindings applied. A fallback whose provider cannot be called is marked: when the
 * chain reaches it, it is skipped with a log event and listed as skipped in the failure summary,
 * never blamed for it. The primary is always called, so its own "not configured" is the step's error.
 */
export function chainTargets(
  plan: CallPlan,
  nodeTemperature: number | undefined,
  ctx: Pick<LlmContext, "bindings" | "providers">,
): Target[] {
  return plan.chain.map((requested, index) => {
    const binding = ctx.bindings.get(requested.provider);
    const client = ctx.providers.get(requested.provider);
    const temperature = binding?.temperature ?? nodeTemperature;
    return {
      index,
      provider: requested.provider,
      model: binding?.model ?? requested.model,
      temperature: temperature ?? undefined,
      binding,
      client: client ?? unconfiguredProvider(requested.provider, "openai"),
      unavailable: index > 0 ? (client ? client.unavailable : "not configured") : undefined,
    };
  });
}
