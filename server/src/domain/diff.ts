/**
 * Differences between two values, for people: a line diff for text (jsdiff) and a path diff for
 * JSON (microdiff), each entry saying what was there and what is there now. Pure.
 */

import type { LineChange, PathChange, ValueDiff } from "@flowtrace/contract/diffs";
import { diffLines } from "diff";
import microdiff from "microdiff";
import { formatPath } from "./json-path.ts";

export type { LineChange, PathChange, ValueDiff } from "@flowtrace/contract/diffs";

const isContainer = (v: unknown): v is object => v !== null && typeof v === "object";

/** Every path where `b` differs from `a` (the root is path ""). */
export function pathChanges(a: unknown, b: unknown): PathChange[] {
  if (!isContainer(a) || !isContainer(b) || Array.isArray(a) !== Array.isArray(b)) {
    return Object.is(a, b) || JSON.stringify(a) === JSON.stringify(b) ? [] : [{ path: "", old: a, new: b }];
  }
  return microdiff(a as Record<string, unknown>, b as Record<string, unknown>).map((d) => {
    const path = formatPath(d.path);
    if (d.type === "CREATE") return { path, new: d.value };
    if (d.type === "REMOVE") return { path, old: d.oldValue };
    return { path, old: d.oldValue, new: d.value };
  });
}

/** Lines of `b` against `a`, unchanged runs included (a reader wants the context). */
export function lineChanges(a: string, b: string): LineChange[] {
  return diffLines(a, b).map((part) => ({
    op: part.added ? "added" : part.removed ? "removed" : "same",
    text: part.value,
  }));
}

/** Text against text is a line diff; anything else a path diff. Null when the two are equal. */
export function valueDiff(a: unknown, b: unknown): ValueDiff | null {
  if (typeof a === "string" && typeof b === "string") {
    return a === b ? null : { kind: "text", lines: lineChanges(a, b) };
  }
  const changes = pathChanges(a, b);
  return changes.length === 0 ? null : { kind: "json", changes };
}
