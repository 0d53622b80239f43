/** Human sentences for zod issues, shared by every validator in the domain. */
import type { z } from "zod";

export function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    return `unknown ${issue.keys.length === 1 ? "key" : "keys"} ${issue.keys.map((k) => `'${k}'`).join(", ")}`;
  }
  if (issue.code === "invalid_key" && issue.issues[0]) return issueMessage(issue.issues[0]);
  if (issue.code === "invalid_type" && issue.message.startsWith("Invalid input")) {
    return `expected ${issue.expected}`;
  }
  return issue.message;
}
