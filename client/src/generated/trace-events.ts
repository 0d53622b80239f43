/* Generated from server/src/domain/trace/payloads.ts by `npm run schema:print`. Do not edit. */

/**
 * Trace event payloads by kind, as stored.
 */
export interface TracePayloads {
  "run.started": {
    /**
     * The workflow run.
     */
    workflowId: string;
    /**
     * The run's input variables.
     */
    inputVars: {
      [k: string]: unknown;
    };
    /**
     * The workflow's nodes.
     */
    nodes: {
      /**
       * Node id.
       */
      id: string;
      /**
       * Node type.
       */
      type: "llm" | "tool" | "router" | "approval";
      /**
       * Display name.
       */
      name?: string;
    }[];
    /**
     * Nodes of one level run concurrently.
     */
    parallel: boolean;
    /**
     * Every provider is FlowTrace's simulator.
     */
    simulated: boolean;
    /**
     * The run's limits, defaults applied.
     */
    limits: {
      [k: string]: number;
    };
  } & {
    truncated?: TruncationNote[];
  };
  "step.started": {
    /**
     * The step's node id.
     */
    nodeId: string;
    /**
     * Node type.
     */
    type: "llm" | "tool" | "router" | "approval";
    /**
     * Display name.
     */
    name?: string;
  } & {
    truncated?: TruncationNote[];
  };
  "llm.request": {
    /**
     * The provider called.
     */
    provider: string;
    /**
     * The model called (after any provider binding).
     */
    model: string;
    /**
     * Sampling temperature; null for the provider's default.
     */
    temperature: number | null;
    /**
     * The answer's token cap.
     */
    maxTokens: number;
    /**
     * Per-call timeout.
     */
    timeoutMs: number;
    /**
     * The rendered system prompt, if any.
     */
    system: string | null;
    /**
     * The rendered prompt as sent.
     */
    prompt: string;
    /**
     * 1-based attempt at this provider.
     */
    attempt: number;
    /**
     * The call goes to FlowTrace's simulator.
     */
    simulated: boolean;
    /**
     * Exact-match cache key; null when the cache is off for the node.
     */
    cacheKey: string | null;
    /**
     * The workflow's provider binding, when one applied.
     */
    binding?: {
      /**
       * Model the workflow's binding sets.
       */
      model: string;
      /**
       * Temperature the binding sets.
       */
      temperature: number | null;
    };
  } & {
    truncated?: TruncationNote[];
  };
  "llm.response": {
    /**
     * The provider called.
     */
    provider: string;
    /**
     * The model called.
     */
    model: string;
    /**
     * The model the provider says answered.
     */
    responseModel: string;
    /**
     * The price entry used; null when the model has no price.
     */
    priceKey: string | null;
    /**
     * The answer (the step's output holds it whole).
     */
    text: string;
    usage: Usage;
    /**
     * "estimated" when the provider reported no usage and FlowTrace counted the tokens itself.
     */
    usageSource: "provider" | "estimated";
    /**
     * Usage exactly as the provider reported it (null when it sent none).
     */
    rawUsage: {
      [k: string]: unknown;
    };
    /**
     * null when the model has no price (unknown, not 0).
     */
    costCents: string | null;
    /**
     * The cost split by token class at the prices used; the lines add up to costCents exactly.
     */
    costBreakdown?: {
      /**
       * Token price class.
       */
      tokenClass: "input" | "cached_input" | "cache_write" | "output";
      /**
       * Tokens of that class (output includes reasoning).
       */
      tokens: number;
      /**
       * The list price used, USD per 1M tokens.
       */
      usdPerMillion: string;
      /**
       * tokens × price, exact.
       */
      costCents: string;
    }[];
    /**
     * How long the call took.
     */
    latencyMs: number;
    /**
     * The provider's request id, when it sent one.
     */
    requestId: string | null;
    /**
     * Why the answer ended (stop, length, end_turn, …).
     */
    finishReason: string | null;
    /**
     * 1-based attempt at this provider.
     */
    attempt: number;
    /**
     * Answered by FlowTrace's simulator.
     */
    simulated: boolean;
  } & {
    truncated?: TruncationNote[];
  };
  "tool.request": {
    /**
     * The tool's name.
     */
    tool: string;
    /**
     * Its rendered, validated arguments.
     */
    args: {
      [k: string]: unknown;
    };
    /**
     * 1-based attempt.
     */
    attempt: number;
  } & {
    truncated?: TruncationNote[];
  };
  "tool.response": {
    /**
     * The tool's name.
     */
    tool: string;
    /**
     * What it returned (the step's output holds it whole).
     */
    output: {
      [k: string]: unknown;
    };
    /**
     * How long it took.
     */
    latencyMs: number;
    /**
     * 1-based attempt.
     */
    attempt: number;
  } & {
    truncated?: TruncationNote[];
  };
  "router.branch": {
    /**
     * The router's rule as written.
     */
    rule: string;
    /**
     * What the rule evaluated to.
     */
    branch: {
      [k: string]: unknown;
    };
    /**
     * Names the rule could read.
     */
    scope: string[];
  } & {
    truncated?: TruncationNote[];
  };
  retry: (
    | {
        /**
         * The provider called.
         */
        provider: string;
        /**
         * The model called.
         */
        model: string;
        /**
         * 1-based attempt at this provider.
         */
        attempt: number;
        /**
         * The failure kind: timeout, connection, rate_limited, overloaded, server, bad_request, …
         */
        kind: string;
        /**
         * HTTP status, null when the failure had none (timeout, cut stream, in-stream error).
         */
        status: number | null;
        /**
         * What failed, in the provider's own words where it gave any.
         */
        message: string;
        /**
         * The provider's request id, when it sent one.
         */
        requestId: string | null;
        /**
         * Text streamed before the failure.
         */
        partialText: string | null;
        /**
         * How long the attempt took.
         */
        latencyMs: number;
        /**
         * Whether the same provider is tried again.
         */
        willRetry: boolean;
        /**
         * Wait before the next attempt; null when none follows.
         */
        delayMs: number | null;
      }
    | {
        /**
         * The tool's name.
         */
        tool: string;
        /**
         * 1-based attempt.
         */
        attempt: number;
        /**
         * What failed.
         */
        message: string;
        /**
         * Whether the tool is run again.
         */
        willRetry: boolean;
        /**
         * Wait before the next attempt; null when none follows.
         */
        delayMs: number | null;
      }
  ) & {
    truncated?: TruncationNote[];
  };
  fallback: {
    /**
     * The provider left.
     */
    from: {
      /**
       * Provider name: openai, anthropic or a configured compatible one.
       */
      provider: string;
      /**
       * Model id as called.
       */
      model: string;
    };
    /**
     * The provider tried next.
     */
    to: {
      /**
       * Provider name: openai, anthropic or a configured compatible one.
       */
      provider: string;
      /**
       * Model id as called.
       */
      model: string;
    };
    /**
     * Why the previous provider was left.
     */
    cause: {
      /**
       * Failure kind of the provider left.
       */
      kind: string;
      /**
       * Its last error.
       */
      message: string;
      /**
       * Its HTTP status, if any.
       */
      status: number | null;
    };
  } & {
    truncated?: TruncationNote[];
  };
  "cache.hit": {
    /**
     * The cache key.
     */
    key: string;
    /**
     * Provider of the cached answer.
     */
    provider: string;
    /**
     * Model of the cached answer.
     */
    model: string;
    /**
     * What the original call cost (saved now); null when unpriced.
     */
    savedCostCents: string | null;
    /**
     * The original call's usage.
     */
    savedTokens: {
      [k: string]: unknown;
    };
    /**
     * Whether the saved figures were reported or estimated.
     */
    savedUsageSource: "provider" | "estimated";
    /**
     * Request id of the call that produced the answer.
     */
    originalRequestId: string | null;
    /**
     * Shared with an identical call in flight.
     */
    singleFlight?: true;
  } & {
    truncated?: TruncationNote[];
  };
  log: {
    /**
     * How much it matters.
     */
    level: "info" | "warn" | "error";
    /**
     * The note.
     */
    message: string;
  } & {
    truncated?: TruncationNote[];
  };
  "step.finished": {
    /**
     * The step's node id.
     */
    nodeId: string;
    /**
     * The step's output (whole in the step; cut here past 64 KiB).
     */
    output: {
      [k: string]: unknown;
    };
    /**
     * How long the step took.
     */
    latencyMs: number;
    /**
     * Prompt tokens, all classes.
     */
    tokensInput: number;
    /**
     * Completion tokens, reasoning included.
     */
    tokensOutput: number;
    /**
     * Reasoning tokens (part of tokensOutput).
     */
    tokensReasoning: number;
    /**
     * "estimated" when the provider reported no usage and FlowTrace counted the tokens itself.
     */
    usageSource: "provider" | "estimated";
    /**
     * The step's cost; null when its model has no price (unknown, not 0).
     */
    costCents: string | null;
    /**
     * Answered from the cache.
     */
    cached: boolean;
    /**
     * Indexes of the outbound edges taken.
     */
    activeEdges: number[];
  } & {
    truncated?: TruncationNote[];
  };
  "step.reused": {
    /**
     * The step's node id.
     */
    nodeId: string;
    /**
     * The parent run the recorded step is taken from.
     */
    sourceRunId: string;
    /**
     * The parent's step whose output this step reuses.
     */
    sourceStepId: string;
    /**
     * The reused output (whole in the step; cut here past 64 KiB).
     */
    output: {
      [k: string]: unknown;
    };
    /**
     * What the step cost in the parent (not paid again); null when unpriced.
     */
    savedCostCents: string | null;
    /**
     * Indexes of the outbound edges taken, as in the parent.
     */
    activeEdges: number[];
  } & {
    truncated?: TruncationNote[];
  };
  "replay.hit": {
    /**
     * The step's node id.
     */
    nodeId: string;
    /**
     * The run whose recording answered.
     */
    sourceRunId: string;
    /**
     * What was answered from the recording.
     */
    kind: "llm" | "tool";
  } & {
    truncated?: TruncationNote[];
  };
  "replay.miss": {
    /**
     * The step's node id.
     */
    nodeId: string;
    /**
     * The run whose recording was searched.
     */
    sourceRunId: string;
    /**
     * The request as this run would send it.
     */
    request: {
      [k: string]: unknown;
    };
    /**
     * The request the recording holds for this node; null when none.
     */
    recorded: {
      [k: string]: unknown;
    };
    /**
     * Where the request differs from the recorded one: path, recorded value, new value.
     */
    diff: {
      /**
       * Path inside the request; empty for the whole request.
       */
      path: string;
      /**
       * The recorded value (absent when the path is new).
       */
      old?: {
        [k: string]: unknown;
      };
      /**
       * This run's value (absent when the path is gone).
       */
      new?: {
        [k: string]: unknown;
      };
    }[];
  } & {
    truncated?: TruncationNote[];
  };
  "approval.requested": {
    /**
     * The approval node's id.
     */
    nodeId: string;
    /**
     * The approval's id.
     */
    approvalId: string;
    /**
     * The node's message, rendered with its inputs.
     */
    message: string;
    /**
     * The node's rendered inputs, shown to the approver.
     */
    inputs: {
      [k: string]: unknown;
    };
    /**
     * When the approval times out (ISO 8601); null when it never does.
     */
    deadline: string | null;
    /**
     * What the deadline decides.
     */
    onTimeout: "reject" | "approve" | "fail";
  } & {
    truncated?: TruncationNote[];
  };
  "approval.resolved": {
    /**
     * The approval node's id.
     */
    nodeId: string;
    /**
     * The approval's id.
     */
    approvalId: string;
    /**
     * The decision; "timed_out" when the deadline passed with onTimeout "fail".
     */
    decision: "approved" | "rejected" | "timed_out";
    /**
     * The approver's comment.
     */
    comment: string | null;
    /**
     * Who decided: the caller's name, its door (api, graphql, cli), or "timeout".
     */
    decidedBy: string;
    /**
     * When (ISO 8601).
     */
    decidedAt: string;
    /**
     * How long the run waited (not counted against its timeout).
     */
    waitedMs: number;
  } & {
    truncated?: TruncationNote[];
  };
  "step.failed": {
    /**
     * The step's node id.
     */
    nodeId: string;
    /**
     * What failed; for a provider chain, primary first.
     */
    error: string;
    /**
     * provider.<kind>, tool, template, expression, limit.<kind>, replay.miss, approval.timeout, canceled or internal.
     */
    kind: string;
  } & {
    truncated?: TruncationNote[];
  };
  "step.skipped": {
    /**
     * The step's node id.
     */
    nodeId: string;
    /**
     * Why it did not run.
     */
    reason: string;
  } & {
    truncated?: TruncationNote[];
  };
  "run.finished": {
    /**
     * How the run ended.
     */
    status: "succeeded" | "failed" | "canceled";
    /**
     * The run's error_summary.
     */
    error: string | null;
    /**
     * Tokens of every step.
     */
    totalTokens: number;
    /**
     * The priced steps' sum: a lower bound when costComplete is false.
     */
    totalCostCents: string;
    /**
     * Sum of the steps' latencies.
     */
    totalLatencyMs: number;
    /**
     * Every succeeded LLM step has a price.
     */
    costComplete: boolean;
    /**
     * Succeeded LLM steps without a price (not in totalCostCents).
     */
    unpricedSteps: number;
  } & {
    truncated?: TruncationNote[];
  };
}
export interface TruncationNote {
  /**
   * The payload field that was cut.
   */
  field: string;
  /**
   * Its length before the cut, in characters (JSON for structures).
   */
  originalLength: number;
}
/**
 * Token counts by price class.
 */
export interface Usage {
  /**
   * Prompt tokens at the plain input price (cached reads and cache writes excluded).
   */
  inputTokens: number;
  /**
   * OpenAI cached prompt tokens / Anthropic cache reads.
   */
  cachedInputTokens: number;
  /**
   * Anthropic cache writes.
   */
  cacheWriteTokens: number;
  /**
   * Completion tokens, reasoning included.
   */
  outputTokens: number;
  /**
   * Reasoning tokens (part of outputTokens; informational).
   */
  reasoningTokens: number;
}
