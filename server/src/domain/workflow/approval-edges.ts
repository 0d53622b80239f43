/**
 * What an edge leaving an approval node may say about `branch`: the node only ever sets
 * "approved" or "rejected", so a comparison with any other value is a typo that would silently
 * never run, and a condition false for both values is a branch no decision can reach. Pure.
 */
import { evaluate } from "../expression/evaluate.ts";
import type { Expr } from "../expression/parse.ts";
import { parseExpression } from "../expression/parse.ts";
import { APPROVAL_BRANCHES } from "./schema.ts";

/** String literals the expression compares `branch` with (`branch == 'x'`, `'x' != branch`). */
export function comparedBranchValues(ast: Expr): string[] {
  const found: string[] = [];
  const stack: Expr[] = [ast];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    for (const child of Object.values(node)) {
      if (child && typeof child === "object" && "type" in (child as object)) stack.push(child as Expr);
      if (Array.isArray(child)) stack.push(...(child.filter((c) => c && typeof c === "object") as Expr[]));
    }
    if (node.type !== "BinaryExpression" || (node.operator !== "==" && node.operator !== "!=")) continue;
    const sides = [node.left, node.right] as Expr[];
    const isBranch = sides.map((e) => e.type === "Identifier" && e.name === "branch");
    const other = isBranch[0] ? sides[1] : isBranch[1] ? sides[0] : undefined;
    if (other?.type === "Literal" && typeof other.value === "string") found.push(other.value);
  }
  return found;
}

/** Why this condition on an edge leaving an approval node is wrong, or null when it is fine. */
export function approvalEdgeProblem(when: string): string | null {
  const parsed = parseExpression(when);
  if (!parsed.ok) return null; // reported by the expression check
  const unknown = comparedBranchValues(parsed.ast).filter((v) => !(APPROVAL_BRANCHES as readonly string[]).includes(v));
  if (unknown.length > 0) {
    return `branch is never '${unknown[0]}' here: an approval node sets branch to 'approved' or 'rejected'`;
  }
  if (![...parsed.identifiers].every((id) => id === "branch")) return null; // depends on run data
  const reachable = APPROVAL_BRANCHES.some((branch) => {
    try {
      return Boolean(evaluate(parsed.ast, { branch }));
    } catch {
      return true; // a runtime error is reported when it happens; don't call it unreachable
    }
  });
  return reachable ? null : "this edge never runs: its condition is false for both 'approved' and 'rejected'";
}
