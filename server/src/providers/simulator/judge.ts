/**
 * The simulator as a grader: a prompt shaped like an evaluation (`<rubric>…</rubric>`, optionally
 * `<expected>…</expected>`, then `<output>…</output>`) gets a deterministic verdict, so the LLM judge
 * is exercised end to end through the real SDKs. The "model" checks that the output contains the
 * expected answer and every phrase the rubric quotes ("…"); the score is the share it finds.
 */
const section = (prompt: string, tag: string) => new RegExp(`<${tag}>\\n([\\s\\S]*?)\\n</${tag}>`).exec(prompt)?.[1];

export function simulatedVerdict(prompt: string): string | null {
  const rubric = section(prompt, "rubric");
  const output = section(prompt, "output");
  if (rubric === undefined || output === undefined) return null;
  const wanted = [...rubric.matchAll(/"([^"\n]{1,200})"/g)].map((m) => m[1] as string);
  const expected = section(prompt, "expected");
  if (expected?.trim()) wanted.push(expected.trim());
  const haystack = output.toLowerCase();
  const missing = wanted.filter((w) => !haystack.includes(w.toLowerCase()));
  const score = wanted.length === 0 ? 1 : (wanted.length - missing.length) / wanted.length;
  const reason =
    missing.length === 0
      ? "The output meets the rubric."
      : `The output does not mention ${missing.map((m) => JSON.stringify(m)).join(", ")}.`;
  return JSON.stringify({ score, reason });
}
