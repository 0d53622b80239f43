/**
 * An agent step's state while it loops: the node, the step's context, the plan every model call
 * shares, the exposed tools, the conversation so far, the journal of a previous executor, and the
 * totals of what the calls cost. Each part of the loop (turns.ts, tool-calls.ts) takes it.
 */
import type { Cents } from "../../../domain/pricing/money.ts";
import type { ExposedTool } from "../../../domain/workflow/agent-tools.ts";
import type { AgentNode } from "../../../domain/workflow/schema.ts";
import type { ChatMessage, ResponseFormat, ToolUse, UsageSource } from "../../../providers/types.ts";
import type { StepContext, StepResult } from "../../step-context.ts";
import type { CallPlan, Target } from "../llm/plan.ts";
import type { AgentJournal } from "./journal.ts";

export interface Totals {
  tokensInput: number;
  tokensOutput: number;
  tokensReasoning: number;
  /** null once a call had no price: the step's cost is then unknown (each call's is in the trace). */
  cost: Cents | null;
  usageSource: UsageSource;
  model: string | undefined;
  modelCalls: number;
  toolCalls: number;
}

export interface Loop {
  node: AgentNode;
  ctx: StepContext;
  base: CallPlan;
  targets: Target[];
  tools: ExposedTool[];
  toolUse: ToolUse | undefined;
  responseFormat: ResponseFormat | undefined;
  messages: ChatMessage[];
  journal: AgentJournal;
  totals: Totals;
}

/** Add one call's figures to the step's. */
export function addCall(
  t: Totals,
  r: Pick<StepResult, "tokensInput" | "tokensOutput" | "tokensReasoning" | "cost" | "usageSource" | "model">,
) {
  t.tokensInput += r.tokensInput;
  t.tokensOutput += r.tokensOutput;
  t.tokensReasoning += r.tokensReasoning ?? 0;
  t.cost = t.cost && r.cost ? t.cost.add(r.cost) : null;
  if (r.usageSource === "estimated") t.usageSource = "estimated";
  t.model = r.model ?? t.model;
  t.modelCalls += 1;
}
