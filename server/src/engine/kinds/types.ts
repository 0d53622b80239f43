/**
 * The engine's side of a node kind: a handler that runs one step of its kind and says which scope
 * its outbound edges are evaluated in. The registry (registry.ts) maps every node type to one.
 */
import type { NodeType, WorkflowNode } from "../../domain/workflow/schema.ts";
import type { TemplateContext } from "../../domain/workflow/templates.ts";
import type { StepContext, StepResult } from "../step-context.ts";

export interface StepInput {
  /** The node's `inputs`, rendered against the outputs so far. */
  inputs: Record<string, unknown>;
  /** What the node's templates are rendered against. */
  tctx: TemplateContext;
  /** The node's expression scope (inputs, run input, parents' output): edges see this plus the step's own output. */
  scope: Record<string, unknown>;
}

export interface StepDone {
  result: StepResult;
  /** The scope the node's outbound `when`s are evaluated in (`output`, and `branch` where the kind sets one). */
  edgeScope: Record<string, unknown>;
}

export interface NodeHandler<N extends WorkflowNode> {
  run(node: N, input: StepInput, ctx: StepContext): Promise<StepDone>;
}

/** Every node type has exactly one handler: a missing kind fails to compile. */
export type NodeHandlers = { [K in NodeType]: NodeHandler<Extract<WorkflowNode, { type: K }>> };
