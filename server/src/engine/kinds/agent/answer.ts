/**
 * A structured answer: the model's text read as JSON (its first object when it wrapped it in prose)
 * and validated against the node's schema (ajv). A wrong answer gets one repair request naming
 * what is wrong; a second wrong answer fails the step naming the path.
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

export const repairRequest = (problem: string) =>
  `Your answer did not match the schema: ${problem}. Answer again with only a JSON object that matches the schema.`;
