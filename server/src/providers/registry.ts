/**
 * The configured providers. With no key and no base URL for any vendor, every call goes to the
 * built-in simulator (and traces say "simulated"); otherwise a vendor without a key fails with a
 * clear, fallback-eligible error.
 */
import type { Config } from "../config/env.ts";
import { createAnthropicProvider } from "./anthropic.ts";
import { createOpenAIProvider } from "./openai.ts";
import { type Simulator, startSimulator } from "./simulator/simulator.ts";
import type { LlmProvider } from "./types.ts";
import { unconfiguredProvider } from "./unconfigured.ts";

export interface ProviderInfo {
  name: string;
  api: "openai" | "anthropic";
  simulated: boolean;
  configured: boolean;
}

export interface ProviderRegistry {
  get(name: string): LlmProvider | undefined;
  names(): string[];
  describe(): ProviderInfo[];
  /** True when every provider is the simulator. */
  readonly simulated: boolean;
  close(): Promise<void>;
}

export { unconfiguredProvider };

export function registryFrom(
  providers: LlmProvider[],
  extra: { simulated: boolean; unconfigured?: ReadonlySet<string>; close?: () => Promise<void> },
) {
  const byName = new Map(providers.map((p) => [p.name, p]));
  const registry: ProviderRegistry = {
    get: (name) => byName.get(name),
    names: () => [...byName.keys()],
    describe: () =>
      providers.map((p) => ({
        name: p.name,
        api: p.api,
        simulated: p.simulated,
        configured: !p.simulated && !extra.unconfigured?.has(p.name),
      })),
    simulated: extra.simulated,
    close: extra.close ?? (async () => {}),
  };
  return registry;
}

/** What the configuration makes available, without creating any client (for API processes). */
export function configuredProviders(config: Config): ProviderInfo[] {
  const { openai, anthropic, compatible } = config.providers;
  const simulated = !(openai.apiKey || openai.baseUrl || anthropic.apiKey || anthropic.baseUrl);
  return [
    { name: "openai", api: "openai", simulated, configured: !simulated && Boolean(openai.apiKey || openai.baseUrl) },
    {
      name: "anthropic",
      api: "anthropic",
      simulated,
      configured: !simulated && Boolean(anthropic.apiKey || anthropic.baseUrl),
    },
    ...compatible.map((c) => ({ name: c.name, api: "openai" as const, simulated: false, configured: true })),
  ];
}

/** OpenAI and Anthropic providers that talk to a simulator, through the real SDKs. */
export function simulatorProviders(sim: Pick<Simulator, "openaiBaseUrl" | "anthropicBaseUrl">, apiKey = "simulated") {
  return [
    createOpenAIProvider({ name: "openai", apiKey, baseUrl: sim.openaiBaseUrl, simulated: true }),
    createAnthropicProvider({ name: "anthropic", apiKey, baseUrl: sim.anthropicBaseUrl, simulated: true }),
  ];
}

export async function createProviderRegistry(config: Config): Promise<ProviderRegistry> {
  const { openai, anthropic, compatible } = config.providers;
  const compatibleProviders = compatible.map((c) =>
    createOpenAIProvider({
      name: c.name,
      apiKey: c.apiKey ?? "not-needed",
      baseUrl: c.baseUrl,
      tokenParam: c.tokenParam,
    }),
  );
  const anyConfigured = Boolean(openai.apiKey || openai.baseUrl || anthropic.apiKey || anthropic.baseUrl);
  if (!anyConfigured) {
    const sim: Simulator = await startSimulator({ latencyMs: config.simulatorLatencyMs, chunkDelayMs: 5 });
    // Named OpenAI-compatible endpoints are real even when the vendors are simulated (an Ollama-only setup).
    return registryFrom([...simulatorProviders(sim), ...compatibleProviders], {
      simulated: compatibleProviders.length === 0,
      close: () => sim.close(),
    });
  }
  const unconfigured = new Set<string>();
  if (!openai.apiKey && !openai.baseUrl) unconfigured.add("openai");
  if (!anthropic.apiKey && !anthropic.baseUrl) unconfigured.add("anthropic");
  return registryFrom(
    [
      openai.apiKey || openai.baseUrl
        ? createOpenAIProvider({
            name: "openai",
            apiKey: openai.apiKey ?? "not-needed",
            baseUrl: openai.baseUrl,
            tokenParam: openai.tokenParam,
          })
        : unconfiguredProvider("openai", "openai", "OPENAI_API_KEY"),
      anthropic.apiKey || anthropic.baseUrl
        ? createAnthropicProvider({
            name: "anthropic",
            apiKey: anthropic.apiKey ?? "not-needed",
            baseUrl: anthropic.baseUrl,
          })
        : unconfiguredProvider("anthropic", "anthropic", "ANTHROPIC_API_KEY"),
      ...compatibleProviders,
    ],
    { simulated: false, unconfigured },
  );
}
