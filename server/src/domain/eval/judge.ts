/**
 * The LLM judge's words, pure: the prompt it is sent (the rubric, the expected answer when there is
 * one, the output) and how its answer becomes a verdict. The call itself is the engine's
 * (engine/judge.ts), through the configured providers.
 */
import { canonicalJson } from "../canonical-json.ts";
import type { Score } from "./scorers.ts";

export const JUDGE_SYSTEM =
  "You are an evaluator. Grade the OUTPUT against the RUBRIC, and against the EXPECTED answer when one " +
  'is given. Reply with only a JSON object: {"score": <a number from 0 to 1>, "reason": "<one sentence>"}.';

const MAX_SECTION = 20_000;

const asText = (v: unknown) => {
  const text = typeof v === "string" ? v : canonicalJson(v ?? null);
  return text.length > MAX_SECTION ? `${text.slice(0, MAX_SECTION)}\n[cut at ${MAX_SECTION} characters]` : text;
};

export function judgePrompt(rubric: string, output: unknown, expected: unknown): string {
  const parts = [`<rubric>\n${rubric}\n</rubric>`];
  if (expected !== undefined && expected !== null) parts.push(`<expected>\n${asText(expected)}\n</expected>`);
  parts.push(`<output>\n${asText(output)}\n</output>`);
  return parts.join("\n");
}

/** The first {...} object in a text (models wrap JSON in prose or code fences). */
function firstObject(text: string): unknown {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start < 0 || end <= start) return null;
  try {
    return JSON.parse(text.slice(start, end + 1));
  } catch {
    return null;
  }
}

/**
 * The judge's answer as a score: `{"score": 0..1, "reason": "…"}` (a score on 0..10 or 0..100 is
 * scaled down); passes at or above the threshold. An answer that is no verdict fails, quoting it.
 */
export function parseVerdict(scorer: string, answer: string, threshold: number): Score {
  const obj = firstObject(answer) as { score?: unknown; reason?: unknown } | null;
  const raw = typeof obj?.score === "number" ? obj.score : Number.NaN;
  if (!Number.isFinite(raw) || raw < 0 || raw > 100) {
    const quoted = answer.length > 200 ? `${answer.slice(0, 200)}…` : answer;
    return { scorer, pass: false, score: 0, reason: `the judge's answer is not a verdict: ${JSON.stringify(quoted)}` };
  }
  const score = raw <= 1 ? raw : raw <= 10 ? raw / 10 : raw / 100;
  const reason = typeof obj?.reason === "string" && obj.reason.trim() ? obj.reason.trim() : "(no reason given)";
  return { scorer, pass: score >= threshold, score, reason: `${reason} (score ${score}, threshold ${threshold})` };
}
