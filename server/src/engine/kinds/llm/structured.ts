/**
 * An `llm` step's structured answer (`output.schema`): the answer is checked against the schema;
 * a wrong one gets one repair call (the conversation so far and what is wrong), and a second wrong
 * one fails the step naming the path. The step's output is then the parsed object; its tokens and
 * cost are both calls'.
 */
import type { StepResult } from "../../step-context.ts";
import { checkAnswer, repairRequest, StructuredOutputError } from "./answer-check.ts";
import type { CallPlan } from "./plan.ts";

/** The repair call's plan: the prompt, the wrong answer, and the request to fix it. */
export function repairPlan(plan: CallPlan, answer: string, problem: string): CallPlan {
  return {
    ...plan,
    conversation: {
      messages: [
        { role: "user", content: plan.prompt },
        { role: "assistant", content: answer },
        { role: "user", content: repairRequest(problem) },
      ],
      toolUse: undefined,
      responseFormat: plan.responseFormat,
      iteration: 2,
    },
  };
}

const textOf = (output: unknown) =>
  typeof output === "string" ? output : String((output as { text?: unknown } | null)?.text ?? "");

/** Both calls' figures, the second call's answer. */
function combined(first: StepResult, second: StepResult, output: unknown): StepResult {
  return {
    ...second,
    output,
    tokensInput: first.tokensInput + second.tokensInput,
    tokensOutput: first.tokensOutput + second.tokensOutput,
    tokensReasoning: (first.tokensReasoning ?? 0) + (second.tokensReasoning ?? 0),
    cost: first.cost && second.cost ? first.cost.add(second.cost) : null,
  };
}

/** The step's result with its answer parsed, repairing once through `call`. */
export async function structuredResult(
  plan: CallPlan,
  first: StepResult,
  call: (plan: CallPlan) => Promise<StepResult>,
): Promise<StepResult> {
  const schema = plan.responseFormat?.schema;
  if (!schema) return first;
  const text = textOf(first.output);
  const checked = checkAnswer(text, schema);
  if (checked.ok) return { ...first, output: checked.value };
  const second = await call(repairPlan(plan, text, checked.problem));
  const again = checkAnswer(textOf(second.output), schema);
  if (!again.ok) {
    throw new StructuredOutputError(`the answer does not match the output schema after a repair: ${again.problem}`);
  }
  return combined(first, second, again.value);
}
