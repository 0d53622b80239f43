/** The one rule for user-written regexes (router rules, edge conditions, the regex scorer). */
import { RE2JS } from "re2js";

export const MAX_REGEX_LENGTH = 200;

/**
 * Regexes run on RE2 (re2js), whose matching time is linear in the input: no pattern can backtrack
 * catastrophically. Returns why a pattern is refused, or null.
 */
export function unsafeRegexReason(pattern: string): string | null {
  if (pattern.length > MAX_REGEX_LENGTH) return `regex longer than ${MAX_REGEX_LENGTH} characters`;
  try {
    RE2JS.compile(pattern);
  } catch (error) {
    return `invalid regex: ${(error as Error).message}`;
  }
  return null;
}
