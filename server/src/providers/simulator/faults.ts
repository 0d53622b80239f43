/**
 * The simulator's fault plan: faults set by tests or passed per call in the fault header, counted
 * per call or drawn with a seeded probability, so chaos runs are reproducible.
 */
import { z } from "zod";

/** The vendor wire formats the simulator speaks. */
export type SimProvider = "openai" | "anthropic";

export const faultSchema = z.strictObject({
  provider: z.enum(["openai", "anthropic"]).optional(),
  /** Model to match; omitted = every model. */
  model: z.string().optional(),
  /** How many matching calls fail before calls succeed again (Infinity = all). */
  count: z.number().int().min(1).or(z.literal(Number.POSITIVE_INFINITY)).default(1),
  /**
   * status: an HTTP error; timeout: hang; malformed: broken JSON; stream_cut: drop mid-stream; reset:
   * drop before answering; stream_error: an error object inside an HTTP 200 stream (as Anthropic and
   * some proxies send); no_usage: a normal answer with no usage anywhere (as many OpenAI-compatible
   * servers stream).
   */
  kind: z.enum(["status", "timeout", "malformed", "stream_cut", "reset", "stream_error", "no_usage"]).default("status"),
  /** For kind=stream_error: the error's type, e.g. rate_limit_error, overloaded_error, invalid_request_error. */
  errorType: z
    .string()
    .regex(/^[a-z_]{1,64}$/)
    .default("rate_limit_error"),
  /** HTTP status for kind=status (429, 500, 529, 400, 401…). */
  status: z.number().int().min(400).max(599).default(500),
  retryAfterSeconds: z.number().min(0).optional(),
  /** For kind=timeout: how long to hang before answering (the client should give up first). */
  hangMs: z.number().int().min(0).default(30_000),
  /** Fail each matching call with this probability instead of the first `count` calls. */
  probability: z.number().min(0).max(1).optional(),
});
export type Fault = z.input<typeof faultSchema>;
export type ActiveFault = z.infer<typeof faultSchema>;

/** A small deterministic PRNG (mulberry32), so probabilistic fault plans are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `status=500;count=2` → a fault, or null when the header is absent or invalid. */
export function parseFaultHeader(value: string | undefined): ActiveFault | null {
  if (!value) return null;
  const entries = Object.fromEntries(
    value.split(";").map((kv) => {
      const [k = "", v = ""] = kv.split("=").map((s) => s.trim());
      return [k, /^\d+(\.\d+)?$/.test(v) ? Number(v) : v];
    }),
  );
  const parsed = faultSchema.safeParse(entries);
  return parsed.success ? parsed.data : null;
}

/** The message a status fault answers with, as the vendor (or a careless proxy) would put it. */
export function statusFaultMessage(status: number, key: string): string {
  if (status === 529) return "Overloaded";
  if (status === 429) return "Rate limit reached for requests (simulated)";
  // Like a careless proxy: echo the key it was sent (FlowTrace must scrub it).
  if (status === 401) return `Incorrect API key provided: ${key.replace(/^Bearer\s+/i, "")}`;
  return `Simulated failure (${status})`;
}

export function streamErrorMessage(type: string): string {
  if (/rate_limit/.test(type)) return "Rate limit reached for requests (simulated, sent inside the stream)";
  if (/overloaded/.test(type)) return "Overloaded";
  return `Simulated ${type} (sent inside the stream)`;
}

export class FaultPlan {
  private faults: (ActiveFault & { used: number })[] = [];
  private readonly headerUse = new Map<string, number>();
  private readonly random: () => number;

  constructor(seed: number, faults: Fault[] = []) {
    this.random = seededRandom(seed);
    this.set(faults);
  }

  set(list: Fault[]) {
    this.faults = list.map((f) => ({ ...faultSchema.parse(f), used: 0 }));
  }

  resetHeaderCounts() {
    this.headerUse.clear();
  }

  /** The fault this call meets, if any: the call's own header first, then the plan. */
  pick(req: { provider: SimProvider; model: string; prompt: string }, header: string | undefined): ActiveFault | null {
    const fromHeader = parseFaultHeader(header);
    if (fromHeader) {
      // Header faults count per (header, model, prompt) so a retry of the same call sees the count drop.
      const key = `${header}\u0000${req.provider}\u0000${req.model}\u0000${req.prompt}`;
      const used = this.headerUse.get(key) ?? 0;
      if (used >= fromHeader.count) return null;
      this.headerUse.set(key, used + 1);
      return fromHeader;
    }
    for (const f of this.faults) {
      if (f.provider && f.provider !== req.provider) continue;
      if (f.model && f.model !== req.model) continue;
      if (f.probability !== undefined) {
        if (this.random() < f.probability) {
          f.used++;
          return f;
        }
        continue;
      }
      if (f.used < f.count) {
        f.used++;
        return f;
      }
    }
    return null;
  }
}
