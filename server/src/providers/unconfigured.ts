/** A provider name with nothing behind it (no key, no base URL): calling it says what to set. */
import { ProviderError } from "../domain/providers/errors.ts";
import type { LlmProvider } from "./types.ts";

/**
 * A provider that cannot be called: its calls fail with a clear, fallback-eligible error, and
 * fallbacks to it are skipped. `variable` names what to set, when there is one.
 */
export function unconfiguredProvider(name: string, api: "openai" | "anthropic", variable?: string): LlmProvider {
  const reason = variable ? `not configured: set ${variable}` : "not configured";
  return {
    name,
    api,
    simulated: false,
    unavailable: reason,
    async complete(req) {
      throw new ProviderError("missing_key", `${name} is ${reason}`, { provider: name, model: req.model, reason });
    },
  };
}
