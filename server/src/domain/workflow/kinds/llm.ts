/** Validation of the `llm` node kind: providers, templates, retry. Its schema is in @flowtrace/contract/workflow. */
import type { AgentNode, LlmNode } from "@flowtrace/contract/workflow";
import type { NodeCheck } from "../node-check.ts";

/** Providers the server knows, templates that resolve, and a retry whose ceiling is above its base. */
export function checkLlmNode(node: LlmNode, c: NodeCheck): void {
  checkCallSettings(node, c);
  if (node.config.output && node.config.output.schema.type !== "object") {
    c.add(c.at("config", "output", "schema", "type"), 'expected "object": vendors take an object schema for answers');
  }
}

/** What `llm` and `agent` nodes share: their providers, prompts and retry. */
export function checkCallSettings(node: LlmNode | AgentNode, c: NodeCheck): void {
  const known = c.ctx.providers;
  const checkProvider = (provider: string, path: PropertyKey[]) => {
    if (known && !known.includes(provider)) {
      c.add(path, `unknown provider '${provider}' (configured: ${known.join(", ")})`);
    }
  };
  checkProvider(node.config.provider, c.at("config", "provider"));
  for (const [k, f] of (node.config.fallbacks ?? []).entries()) {
    checkProvider(f.provider, c.at("config", "fallbacks", k, "provider"));
  }
  for (const key of ["system", "prompt"] as const) {
    const text = node.config[key];
    if (text !== undefined) c.templates(text, c.at("config", key));
  }
  const retry = node.config.retry;
  if (
    retry?.backoffBaseMs !== undefined &&
    retry.backoffMaxMs !== undefined &&
    retry.backoffMaxMs < retry.backoffBaseMs
  ) {
    c.add(c.at("config", "retry", "backoffMaxMs"), "must be at least backoffBaseMs");
  }
}
