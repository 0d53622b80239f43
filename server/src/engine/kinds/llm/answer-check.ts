/**
 * A structured answer (`output.schema` of an `llm` or `agent` node): the model's text read as JSON
 * (its first object when it wrapped it in prose) and validated against the schema (ajv). A wrong
 * answer gets one repair request naming what is wrong; a second wrong answer fails the step
 * naming the path (`output.invalid` for an `llm` step, `agent.output_invalid` for an agent's).
 */
import { checkJsonSchema } from "../../scoring.ts";

export type Checked = { ok: true; value: unknown } | { ok: false; problem: string };

function parseJson(text: string): { value: unknown } | null {
  for (const candidate of [text.trim(), /\{[\s\S]*\}/.exec(text)?.[0]]) {
    if (!candidate) continue;
    try {
      return { value: JSON.parse(candidate) };
    } catch {
      // try the next reading
    }
  }
  return null;
}

export function checkAnswer(text: string, schema: Record<string, unknown>): Checked {
  const parsed = parseJson(text);
  if (!parsed) return { ok: false, problem: "the answer is not JSON" };
  const problems = checkJsonSchema(schema, parsed.value);
  return problems.length === 0
    ? { ok: true, value: parsed.value }
    : { ok: false, problem: problems.slice(0, 10).join("; ") };
}

/** A second wrong structured answer of an `llm` step. */
export class StructuredOutputError extends Error {
  override readonly name = "StructuredOutputError";
  readonly kind = "output.invalid";
}

export const repairRequest = (problem: string) =>
  `Your answer did not match the schema: ${problem}. Answer again with only a JSON object that matches the schema.`;
