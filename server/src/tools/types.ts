/** A tool: its catalog spec (for validation) plus the implementation that runs it. */
import type { z } from "zod";
import type { ToolSpec } from "../domain/workflow/tool-catalog.ts";

export interface ToolRunContext {
  signal: AbortSignal;
  /** FLOWTRACE_FETCH_ALLOW entries: host, host:port or CIDR. */
  fetchAllow: readonly string[];
  /** W3C trace context for outgoing requests (the step's span), when the run is traced. */
  traceparent?: string;
  /** How host names become addresses (default: the system resolver). Tests inject DNS answers here. */
  resolveHost?: HostResolver;
  /** Fills `{{secret.NAME}}` placeholders with the project's values (only where a tool allows them). */
  secrets?: { fill(text: string): Promise<string> };
}

/** Every address a host name resolves to, in the resolver's order. */
export type HostResolver = (host: string) => Promise<readonly { address: string; family: number }[]>;

// biome-ignore lint/suspicious/noExplicitAny: any zod object shape
export interface Tool<Schema extends z.ZodObject<any> = z.ZodObject<any>> extends ToolSpec {
  argsSchema: Schema;
  /** A sentence describing the output shape, for docs and the editor. */
  output: string;
  run(args: z.infer<Schema>, ctx: ToolRunContext): Promise<unknown>;
}

/** An error a tool reports about its input or target; `transient` ones may be retried. */
export class ToolError extends Error {
  override readonly name = "ToolError";
  constructor(
    message: string,
    readonly transient = false,
  ) {
    super(message);
  }
}
