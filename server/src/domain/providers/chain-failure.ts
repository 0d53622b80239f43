/**
 * Why a step's provider chain failed, primary first: `openai/gpt-4o-mini: 500 Internal Server Error
 * "…" after 3 attempts; fallback anthropic/claude-3-5-haiku skipped: not configured: set
 * ANTHROPIC_API_KEY`. A fallback that could not be called is listed as skipped, never as the cause.
 * Pure.
 */
import { ProviderError } from "./errors.ts";

interface Entry {
  provider: string;
  model: string;
  attempts: number;
  error: ProviderError | null;
  skipped: string | null;
}

export class ChainReport {
  private readonly entries = new Map<number, Entry>();

  constructor(private readonly chain: readonly { provider: string; model: string }[]) {}

  private entry(index: number, model: string): Entry {
    let e = this.entries.get(index);
    if (!e) {
      e = { provider: this.chain[index]?.provider ?? "?", model, attempts: 0, error: null, skipped: null };
      this.entries.set(index, e);
    }
    e.model = model;
    return e;
  }

  /** One failed attempt of chain entry `index` (its model as called, after any binding). */
  failed(index: number, model: string, error: ProviderError) {
    const e = this.entry(index, model);
    e.attempts++;
    e.error = error;
  }

  skipped(index: number, model: string, why: string) {
    this.entry(index, model).skipped = why;
  }

  summary(): string {
    const parts: string[] = [];
    for (const [index, e] of [...this.entries].sort(([a], [b]) => a - b)) {
      const name = `${index > 0 ? "fallback " : ""}${e.provider}/${e.model}`;
      if (e.skipped !== null) parts.push(`${name} skipped: ${e.skipped}`);
      else if (e.error) {
        parts.push(`${name}: ${e.error.reason} after ${e.attempts} attempt${e.attempts === 1 ? "" : "s"}`);
      }
    }
    return parts.join("; ");
  }

  /** The step's error: the first failure in chain order (the primary's, when it was called) with the whole summary. */
  failure(): ProviderError | null {
    const first = [...this.entries].sort(([a], [b]) => a - b).find(([, e]) => e.error)?.[1].error;
    return first ? new ProviderError(first.kind, this.summary(), first.details) : null;
  }
}
