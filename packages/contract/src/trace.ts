/**
 * The trace contract (shared by the server, the dashboard and the CLI): one zod schema per event kind, the only place an event's fields are named.
 * Emitters are typed by it (`recorder.emit(kind, stepId, payload)` takes `TracePayload<kind>`),
 * readers narrow `TraceEvent` by `kind`, the crash-resume journal parses stored answers with it,
 * and docs/trace-events.schema.json, docs/trace-events.md and the dashboard's types are generated
 * from it (`npm run schema:print`; a test fails when they are stale). Pure.
 *
 * A stored payload may differ in one way: a top-level value longer than 64 KiB is cut (a string
 * keeps its start and a marker; a structure becomes `{ $truncated, originalLength, preview }`) and
 * the payload then lists the cut fields in `truncated` (see truncate.ts).
 */
import { z } from "zod";
import { usageSchema } from "./usage.ts";

const usageSource = z
  .enum(["provider", "estimated"])
  .describe('"estimated" when the provider reported no usage and FlowTrace counted the tokens itself.');

const usage = usageSchema;

const cents = z.string().describe('Exact decimal US cents, e.g. "0.0123".');
const target = z.object({
  provider: z.string().describe("Provider name: openai, anthropic or a configured compatible one."),
  model: z.string().describe("Model id as called."),
});
const costBreakdown = z
  .array(
    z.object({
      tokenClass: z.enum(["input", "cached_input", "cache_write", "output"]).describe("Token price class."),
      tokens: z.int().describe("Tokens of that class (output includes reasoning)."),
      usdPerMillion: z.string().describe("The list price used, USD per 1M tokens."),
      costCents: cents.describe("tokens × price, exact."),
    }),
  )
  .describe("The cost split by token class at the prices used; the lines add up to costCents exactly.");
const mcpRef = z.object({
  server: z.string().describe("The project's MCP server, by name."),
  tool: z.string().describe("The tool, by the server's name for it."),
});
const nodeType = z.enum(["llm", "agent", "tool", "router", "approval", "code", "workflow"]);

export const truncationNote = z
  .object({
    field: z.string().describe("The payload field that was cut."),
    originalLength: z.int().describe("Its length before the cut, in characters (JSON for structures)."),
  })
  .meta({ id: "TruncationNote" });

const llmRetry = z
  .object({
    provider: z.string().describe("The provider called."),
    model: z.string().describe("The model called."),
    attempt: z.int().describe("1-based attempt at this provider."),
    kind: z
      .string()
      .describe("The failure kind: timeout, connection, rate_limited, overloaded, server, bad_request, …"),
    status: z
      .int()
      .nullable()
      .describe("HTTP status, null when the failure had none (timeout, cut stream, in-stream error)."),
    message: z.string().describe("What failed, in the provider's own words where it gave any."),
    requestId: z.string().nullable().describe("The provider's request id, when it sent one."),
    partialText: z.string().nullable().describe("Text streamed before the failure."),
    latencyMs: z.int().describe("How long the attempt took."),
    willRetry: z.boolean().describe("Whether the same provider is tried again."),
    delayMs: z.int().nullable().describe("Wait before the next attempt; null when none follows."),
  })
  .describe("A failed LLM call attempt.");

const toolRetry = z
  .object({
    tool: z.string().describe("The tool's name."),
    attempt: z.int().describe("1-based attempt."),
    message: z.string().describe("What failed."),
    willRetry: z.boolean().describe("Whether the tool is run again."),
    delayMs: z.int().nullable().describe("Wait before the next attempt; null when none follows."),
  })
  .describe("A failed tool attempt.");

const toolCall = z
  .object({
    id: z.string().describe("The vendor's call id (echoed with the result)."),
    name: z.string().describe("The tool's name as the model called it."),
    args: z.record(z.string(), z.unknown()).describe("The arguments the model gave."),
  })
  .describe("A tool call the model asked for.");

export const tracePayloads = {
  "run.started": z
    .object({
      workflowId: z.string().describe("The workflow run."),
      inputVars: z.record(z.string(), z.unknown()).describe("The run's input variables."),
      nodes: z
        .array(
          z.object({
            id: z.string().describe("Node id."),
            type: nodeType.describe("Node type."),
            name: z.string().optional().describe("Display name."),
          }),
        )
        .describe("The workflow's nodes."),
      parallel: z.boolean().describe("Nodes of one level run concurrently."),
      simulated: z.boolean().describe("Every provider is FlowTrace's simulator."),
      limits: z.record(z.string(), z.number()).describe("The run's limits, defaults applied."),
    })
    .describe("The run began: its nodes, inputs and limits."),
  "step.started": z
    .object({
      nodeId: z.string().describe("The step's node id."),
      type: nodeType.describe("Node type."),
      name: z.string().optional().describe("Display name."),
    })
    .describe("A step began."),
  "llm.request": z
    .object({
      provider: z.string().describe("The provider called."),
      model: z.string().describe("The model called (after any provider binding)."),
      temperature: z.number().nullable().describe("Sampling temperature; null for the provider's default."),
      maxTokens: z.int().describe("The answer's token cap."),
      timeoutMs: z.int().describe("Per-call timeout."),
      system: z.string().nullable().describe("The rendered system prompt, if any."),
      prompt: z.string().describe("The rendered prompt as sent."),
      attempt: z.int().describe("1-based attempt at this provider."),
      simulated: z.boolean().describe("The call goes to FlowTrace's simulator."),
      cacheKey: z.string().nullable().describe("Exact-match cache key; null when the cache is off for the node."),
      binding: z
        .object({
          model: z.string().describe("Model the workflow's binding sets."),
          temperature: z.number().nullable().describe("Temperature the binding sets."),
        })
        .optional()
        .describe("The workflow's provider binding, when one applied."),
      iteration: z.int().optional().describe("An agent's model call: its 1-based iteration."),
      tools: z.array(z.string()).optional().describe("An agent's call: the tool names offered to the model."),
      conversationKey: z
        .string()
        .optional()
        .describe("An agent's call: the key of the whole conversation and tools sent (what a replay matches)."),
    })
    .describe("An LLM call is about to be made."),
  "llm.response": z
    .object({
      provider: z.string().describe("The provider called."),
      model: z.string().describe("The model called."),
      responseModel: z.string().describe("The model the provider says answered."),
      priceKey: z.string().nullable().describe("The price entry used; null when the model has no price."),
      text: z.string().describe("The answer (the step's output holds it whole)."),
      usage,
      usageSource,
      rawUsage: z.unknown().describe("Usage exactly as the provider reported it (null when it sent none)."),
      costCents: cents.nullable().describe("null when the model has no price (unknown, not 0)."),
      costBreakdown: costBreakdown.optional(),
      latencyMs: z.int().describe("How long the call took."),
      requestId: z.string().nullable().describe("The provider's request id, when it sent one."),
      finishReason: z.string().nullable().describe("Why the answer ended (stop, length, end_turn, …)."),
      attempt: z.int().describe("1-based attempt at this provider."),
      simulated: z.boolean().describe("Answered by FlowTrace's simulator."),
      iteration: z.int().optional().describe("An agent's model call: its 1-based iteration."),
      toolCalls: z.array(toolCall).optional().describe("An agent's call: the tools the model asked to call, in order."),
    })
    .describe("An LLM call answered. Stored before the step ends: a resumed run reuses it instead of paying again."),
  "tool.request": z
    .object({
      tool: z.string().describe("The tool's name (an MCP tool: mcp:<server>/<tool>; a code tool: code:<name>)."),
      args: z.unknown().describe("Its rendered, validated arguments."),
      attempt: z.int().describe("1-based attempt."),
      iteration: z.int().optional().describe("An agent's tool call: the iteration whose answer asked for it."),
      toolCallId: z.string().optional().describe("An agent's tool call: the vendor's call id."),
      mcp: mcpRef.optional().describe("An MCP tool: its server and the server's name for the tool."),
      name: z.string().optional().describe("An agent's tool call: the name the model called it by."),
    })
    .describe("A tool is about to run."),
  "tool.response": z
    .object({
      tool: z.string().describe("The tool's name (an MCP tool: mcp:<server>/<tool>; a code tool: code:<name>)."),
      output: z.unknown().describe("What it returned (the step's output holds it whole)."),
      latencyMs: z.int().describe("How long it took."),
      attempt: z.int().describe("1-based attempt."),
      iteration: z.int().optional().describe("An agent's tool call: the iteration whose answer asked for it."),
      toolCallId: z.string().optional().describe("An agent's tool call: the vendor's call id."),
      mcp: mcpRef.optional().describe("An MCP tool: its server and the server's name for the tool."),
      isError: z
        .boolean()
        .optional()
        .describe("An agent's tool call failed: `output` is {error}; the model is told, and may recover."),
    })
    .describe("A tool answered."),
  "agent.finished": z
    .object({
      iterations: z.int().describe("Model calls made (a repair of the answer included)."),
      toolCalls: z.int().describe("Tool calls run."),
      stopReason: z
        .enum(["answer", "max_iterations", "output_invalid"])
        .describe("answer: the model answered without calling tools; the others fail the step."),
    })
    .describe("An agent step's loop ended."),
  "router.branch": z
    .object({
      rule: z.string().describe("The router's rule as written."),
      branch: z.unknown().describe("What the rule evaluated to."),
      scope: z.array(z.string()).describe("Names the rule could read."),
    })
    .describe("A router chose a branch."),
  retry: z.union([llmRetry, toolRetry]).describe("An attempt failed (retried when willRetry)."),
  fallback: z
    .object({
      from: target.describe("The provider left."),
      to: target.describe("The provider tried next."),
      cause: z
        .object({
          kind: z.string().describe("Failure kind of the provider left."),
          message: z.string().describe("Its last error."),
          status: z.int().nullable().describe("Its HTTP status, if any."),
        })
        .describe("Why the previous provider was left."),
    })
    .describe("The step moves on to the next provider of its fallback chain."),
  "cache.hit": z
    .object({
      key: z.string().describe("The cache key."),
      provider: z.string().describe("Provider of the cached answer."),
      model: z.string().describe("Model of the cached answer."),
      savedCostCents: cents.nullable().describe("What the original call cost (saved now); null when unpriced."),
      savedTokens: z.unknown().describe("The original call's usage."),
      savedUsageSource: usageSource.describe("Whether the saved figures were reported or estimated."),
      originalRequestId: z.string().nullable().describe("Request id of the call that produced the answer."),
      singleFlight: z.literal(true).optional().describe("Shared with an identical call in flight."),
      iteration: z.int().optional().describe("An agent's model call: its 1-based iteration."),
      answer: z
        .object({
          text: z.string().describe("The answer's text (empty when it only calls tools)."),
          toolCalls: z.array(toolCall).describe("The tools it asked to call."),
        })
        .optional()
        .describe("An agent's model call: the answer taken from the cache (its loop goes on from it)."),
    })
    .describe("An exact-match cache hit: no provider was called."),
  log: z
    .object({
      level: z.enum(["info", "warn", "error"]).describe("How much it matters."),
      message: z.string().describe("The note."),
      source: z
        .literal("code")
        .optional()
        .describe("A code step's own console line (console.log/info/debug as info, warn, error)."),
    })
    .describe(
      "A note for the reader: a resume, a skipped fallback, an unknown price, estimated usage, or a code step's console line.",
    ),
  "step.finished": z
    .object({
      nodeId: z.string().describe("The step's node id."),
      output: z.unknown().describe("The step's output (whole in the step; cut here past 64 KiB)."),
      latencyMs: z.int().describe("How long the step took."),
      tokensInput: z.int().describe("Prompt tokens, all classes."),
      tokensOutput: z.int().describe("Completion tokens, reasoning included."),
      tokensReasoning: z.int().describe("Reasoning tokens (part of tokensOutput)."),
      usageSource,
      costCents: cents.nullable().describe("The step's cost; null when its model has no price (unknown, not 0)."),
      cached: z.boolean().describe("Answered from the cache."),
      activeEdges: z.array(z.int()).describe("Indexes of the outbound edges taken."),
    })
    .describe("A step succeeded."),
  "step.reused": z
    .object({
      nodeId: z.string().describe("The step's node id."),
      sourceRunId: z.string().describe("The parent run the recorded step is taken from."),
      sourceStepId: z.string().describe("The parent's step whose output this step reuses."),
      output: z.unknown().describe("The reused output (whole in the step; cut here past 64 KiB)."),
      savedCostCents: cents
        .nullable()
        .describe("What the step cost in the parent (not paid again); null when unpriced."),
      activeEdges: z.array(z.int()).describe("Indexes of the outbound edges taken, as in the parent."),
    })
    .describe("A re-run took this step's recorded output from its parent: no provider or tool was called, it cost 0."),
  "replay.hit": z
    .object({
      nodeId: z.string().describe("The step's node id."),
      sourceRunId: z.string().describe("The run whose recording answered."),
      kind: z.enum(["llm", "tool"]).describe("What was answered from the recording."),
    })
    .describe("A replayed request matched the recording exactly: its recorded answer stands in, no call was made."),
  "replay.miss": z
    .object({
      nodeId: z.string().describe("The step's node id."),
      sourceRunId: z.string().describe("The run whose recording was searched."),
      request: z.unknown().describe("The request as this run would send it."),
      recorded: z.unknown().describe("The request the recording holds for this node; null when none."),
      diff: z
        .array(
          z.object({
            path: z.string().describe("Path inside the request; empty for the whole request."),
            old: z.unknown().optional().describe("The recorded value (absent when the path is new)."),
            new: z.unknown().optional().describe("This run's value (absent when the path is gone)."),
          }),
        )
        .describe("Where the request differs from the recorded one: path, recorded value, new value."),
    })
    .describe("A replayed request has no identical request in the recording: the step fails, nothing is called."),
  "approval.requested": z
    .object({
      nodeId: z.string().describe("The approval node's id."),
      approvalId: z.string().describe("The approval's id."),
      message: z.string().describe("The node's message, rendered with its inputs."),
      inputs: z.record(z.string(), z.unknown()).describe("The node's rendered inputs, shown to the approver."),
      deadline: z.string().nullable().describe("When the approval times out (ISO 8601); null when it never does."),
      onTimeout: z.enum(["reject", "approve", "fail"]).describe("What the deadline decides."),
      kind: z
        .enum(["tool", "budget"])
        .optional()
        .describe("An agent's approval: a tool call, or its budget running out (absent for an approval node)."),
      tool: z.string().optional().describe("A tool approval: the tool to run."),
      args: z.unknown().optional().describe("A tool approval: the arguments the model gave."),
      spentCents: cents.optional().describe("A budget approval: what the step has spent."),
      limitCents: cents.optional().describe("A budget approval: its limit so far."),
    })
    .describe("The run waits for a person: it holds no worker until a decision (or the deadline) resumes it."),
  "approval.resolved": z
    .object({
      nodeId: z.string().describe("The approval node's id."),
      approvalId: z.string().describe("The approval's id."),
      decision: z
        .enum(["approved", "rejected", "timed_out"])
        .describe('The decision; "timed_out" when the deadline passed with onTimeout "fail".'),
      comment: z.string().nullable().describe("The approver's comment."),
      decidedBy: z.string().describe('Who decided: the caller\'s name, its door (api, graphql, cli), or "timeout".'),
      decidedAt: z.string().describe("When (ISO 8601)."),
      waitedMs: z.int().describe("How long the run waited (not counted against its timeout)."),
      args: z.unknown().optional().describe("A tool approval: the arguments as the approver approved them."),
      extendCents: cents.optional().describe("A budget approval: what the approver added to the budget."),
    })
    .describe("The approval was decided and the run resumed; only the chosen branch runs."),
  "step.failed": z
    .object({
      nodeId: z.string().describe("The step's node id."),
      error: z.string().describe("What failed; for a provider chain, primary first."),
      kind: z
        .string()
        .describe(
          "provider.<kind>, tool, template, expression, limit.<kind>, replay.miss, approval.timeout, agent.max_iterations, agent.output_invalid, output.invalid, code.timeout, code.memory, code.error, code.output, canceled or internal.",
        ),
    })
    .describe("A step failed or was canceled."),
  "step.skipped": z
    .object({
      nodeId: z.string().describe("The step's node id."),
      reason: z.string().describe("Why it did not run."),
    })
    .describe("A step was skipped."),
  "run.finished": z
    .object({
      status: z.enum(["succeeded", "failed", "canceled"]).describe("How the run ended."),
      error: z.string().nullable().describe("The run's error_summary."),
      totalTokens: z.int().describe("Tokens of every step."),
      totalCostCents: cents.describe("The priced steps' sum: a lower bound when costComplete is false."),
      totalLatencyMs: z.int().describe("Sum of the steps' latencies."),
      costComplete: z.boolean().describe("Every succeeded LLM step has a price."),
      unpricedSteps: z.int().describe("Succeeded LLM steps without a price (not in totalCostCents)."),
    })
    .describe("The run ended; always the last event."),
} as const;

/**
 * A stored `llm.response` as the crash-resume journal reads it: also one stored before
 * `usageSource` existed (such usage was the provider's report).
 */
export const llmResponseJournal = tracePayloads["llm.response"].extend({
  usageSource: usageSource.default("provider"),
});

export type TracePayloads = typeof tracePayloads;
export type TraceEventKind = keyof TracePayloads;
export const TRACE_EVENT_KINDS = Object.keys(tracePayloads) as TraceEventKind[];

/** What an emitter passes for an event of kind K. */
export type TracePayload<K extends TraceEventKind> = z.input<TracePayloads[K]>;

/** A payload as stored: the emitted one, with the list of fields cut at 64 KiB when any were. */
export type StoredPayload<K extends TraceEventKind> = z.output<TracePayloads[K]> & {
  truncated?: z.output<typeof truncationNote>[];
};

/** The whole event as JSON Schema (one object per kind, discriminated by `kind`). */
export function traceEventsJsonSchema(): Record<string, unknown> {
  const events = TRACE_EVENT_KINDS.map((kind) =>
    z
      .object({
        seq: z.int().describe("Per run, gap-free, strictly increasing from 1."),
        ts: z.string().describe("ISO-8601 with milliseconds."),
        kind: z.literal(kind),
        step_id: z.string().nullable().describe("The step's id; null for run-level events."),
        payload: tracePayloads[kind].and(z.object({ truncated: z.array(truncationNote).optional() })),
      })
      .describe(tracePayloads[kind].description ?? kind),
  );
  const union = z.discriminatedUnion("kind", events as unknown as [z.ZodObject, ...z.ZodObject[]]);
  return z.toJSONSchema(union.describe("One FlowTrace trace event (REST/SSE shape)."), {
    io: "output",
    unrepresentable: "any",
  }) as Record<string, unknown>;
}

/** Every kind's payload as one object schema, keyed by kind: the source of the dashboard's types. */
export function tracePayloadMapJsonSchema(): Record<string, unknown> {
  const stored = Object.fromEntries(
    TRACE_EVENT_KINDS.map((kind) => [
      kind,
      tracePayloads[kind].and(z.object({ truncated: z.array(truncationNote).optional() })),
    ]),
  );
  return z.toJSONSchema(z.object(stored).describe("Trace event payloads by kind, as stored."), {
    io: "output",
    unrepresentable: "any",
  }) as Record<string, unknown>;
}
