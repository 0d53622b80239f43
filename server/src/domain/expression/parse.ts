/**
 * The router/edge expression language: parsed by jsep, then checked against a whitelist of node
 * types, operators, functions and identifiers. Nothing is ever evaluated with eval/new Function.
 *
 *   len(text) > 2000 ? 'deep' : 'shallow'        branch == 'deep'
 *   contains(lower(output), "refund") && inputs.priority >= 2
 */
import jsep from "jsep";
import { FUNCTIONS, unsafeRegexReason } from "./functions.ts";

export const MAX_EXPRESSION_LENGTH = 2_000;
export const MAX_EXPRESSION_DEPTH = 64;
/** Operators chain into a deep tree (a + b + c …); this bounds recursion in the checker and evaluator. */
export const MAX_AST_DEPTH = 256;

export const BINARY_OPERATORS = new Set(["==", "!=", "<", "<=", ">", ">=", "&&", "||", "+", "-", "*", "/", "%"]);
export const UNARY_OPERATORS = new Set(["!", "-", "+"]);
/** Property names that would walk into JavaScript's object machinery. */
export const FORBIDDEN_PROPERTIES = new Set([
  "constructor",
  "__proto__",
  "prototype",
  "__defineGetter__",
  "__defineSetter__",
  "__lookupGetter__",
  "__lookupSetter__",
]);

// jsep is configured globally: drop operators we never allow so they fail at parse time.
for (const op of ["|", "^", "&", "<<", ">>", ">>>", "===", "!==", "??"]) jsep.removeBinaryOp(op);
jsep.removeUnaryOp("~");

export type Expr = jsep.Expression;

export interface ExpressionError {
  message: string;
  /** 0-based character offset in the source, when known. */
  position?: number;
}

export type ParseResult = { ok: true; ast: Expr; identifiers: Set<string> } | { ok: false; error: ExpressionError };

function parenDepth(source: string): number {
  let depth = 0;
  let max = 0;
  let quote: string | null = null;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (quote) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === "(" || ch === "[") max = Math.max(max, ++depth);
    else if (ch === ")" || ch === "]") depth--;
  }
  return max;
}

/**
 * Parse and check an expression. `scope`, when given, is the set of identifiers the expression may
 * read; anything else is an error (checked at save time, not at run time).
 */
export function parseExpression(source: unknown, scope?: ReadonlySet<string>): ParseResult {
  if (typeof source !== "string") return { ok: false, error: { message: "expression must be a string" } };
  if (source.trim() === "") return { ok: false, error: { message: "expression is empty" } };
  if (source.length > MAX_EXPRESSION_LENGTH) {
    return { ok: false, error: { message: `expression is longer than ${MAX_EXPRESSION_LENGTH} characters` } };
  }
  if (parenDepth(source) > MAX_EXPRESSION_DEPTH) {
    return { ok: false, error: { message: `expression is nested deeper than ${MAX_EXPRESSION_DEPTH} levels` } };
  }
  let ast: Expr;
  try {
    ast = jsep(source);
  } catch (error) {
    const e = error as { description?: string; index?: number; message?: string };
    if (error instanceof RangeError) return { ok: false, error: { message: "expression is nested too deeply" } };
    const position = typeof e.index === "number" ? e.index : undefined;
    const description = e.description ?? e.message ?? "syntax error";
    return {
      ok: false,
      error: {
        message: `syntax error at position ${position ?? "?"}: ${description}`,
        ...(position === undefined ? {} : { position }),
      },
    };
  }
  const identifiers = new Set<string>();
  const problem = check(ast, 0, identifiers, scope);
  return problem ? { ok: false, error: problem } : { ok: true, ast, identifiers };
}

type Problem = ExpressionError | null;
type Sub = (n: Expr) => Problem;

const firstProblem = (nodes: readonly Expr[], sub: Sub): Problem => {
  for (const n of nodes) {
    const p = sub(n);
    if (p) return p;
  }
  return null;
};

function checkLiteral(node: jsep.Literal): Problem {
  if (node.value instanceof RegExp) return { message: "regex literals are not allowed; use matches(text, 'pattern')" };
  return null;
}

function checkIdentifier(name: string, ids: Set<string>, scope?: ReadonlySet<string>): Problem {
  if (FORBIDDEN_PROPERTIES.has(name)) return { message: `'${name}' is not allowed` };
  if (name === "true" || name === "false" || name === "null") return null;
  if (scope && !scope.has(name)) {
    const known = [...scope].sort().join(", ");
    return { message: `unknown identifier '${name}'${known ? ` (available: ${known})` : ""}` };
  }
  ids.add(name);
  return null;
}

function checkMember(m: jsep.MemberExpression, sub: Sub): Problem {
  if (m.optional) return { message: "optional chaining (?.) is not supported" };
  if (!m.computed) {
    const name = (m.property as jsep.Identifier).name;
    if (FORBIDDEN_PROPERTIES.has(name)) return { message: `access to '${name}' is not allowed` };
    return sub(m.object);
  }
  if (m.property.type === "Literal" && FORBIDDEN_PROPERTIES.has(String((m.property as jsep.Literal).value))) {
    return { message: `access to '${String((m.property as jsep.Literal).value)}' is not allowed` };
  }
  return sub(m.object) ?? sub(m.property);
}

function checkCall(c: jsep.CallExpression, sub: Sub): Problem {
  if (c.callee.type !== "Identifier") return { message: "only the built-in functions can be called" };
  const name = (c.callee as jsep.Identifier).name;
  const spec = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  if (!spec) return { message: `unknown function '${name}' (available: ${Object.keys(FUNCTIONS).join(", ")})` };
  const [min, max] = spec.arity;
  if (c.arguments.length < min || c.arguments.length > max) {
    return {
      message: `${name}() takes ${min === max ? min : `${min}-${max}`} argument${max === 1 ? "" : "s"}, got ${c.arguments.length}`,
    };
  }
  const pattern = name === "matches" ? c.arguments[1] : undefined;
  if (pattern?.type === "Literal" && typeof (pattern as jsep.Literal).value === "string") {
    const reason = unsafeRegexReason(String((pattern as jsep.Literal).value));
    if (reason) return { message: `matches(): ${reason}` };
  }
  return firstProblem(c.arguments, sub);
}

function checkArray(a: jsep.ArrayExpression, sub: Sub): Problem {
  if (a.elements.length > 100) return { message: "array literals are limited to 100 elements" };
  if (a.elements.some((el) => el === null)) return { message: "array holes are not allowed" };
  return firstProblem(a.elements as Expr[], sub);
}

function check(node: Expr, depth: number, ids: Set<string>, scope?: ReadonlySet<string>): Problem {
  if (depth > MAX_AST_DEPTH)
    return { message: `expression is too complex (more than ${MAX_AST_DEPTH} nested operations)` };
  const sub: Sub = (n) => check(n, depth + 1, ids, scope);
  switch (node.type) {
    case "Literal":
      return checkLiteral(node as jsep.Literal);
    case "Identifier":
      return checkIdentifier((node as jsep.Identifier).name, ids, scope);
    case "MemberExpression":
      return checkMember(node as jsep.MemberExpression, sub);
    case "CallExpression":
      return checkCall(node as jsep.CallExpression, sub);
    case "BinaryExpression": {
      const b = node as jsep.BinaryExpression;
      if (!BINARY_OPERATORS.has(b.operator)) return { message: `operator '${b.operator}' is not supported` };
      return sub(b.left) ?? sub(b.right);
    }
    case "UnaryExpression": {
      const u = node as jsep.UnaryExpression;
      if (!UNARY_OPERATORS.has(u.operator)) return { message: `operator '${u.operator}' is not supported` };
      return sub(u.argument);
    }
    case "ConditionalExpression": {
      const t = node as jsep.ConditionalExpression;
      return sub(t.test) ?? sub(t.consequent) ?? sub(t.alternate);
    }
    case "ArrayExpression":
      return checkArray(node as jsep.ArrayExpression, sub);
    case "Compound":
    case "SequenceExpression":
      return { message: "only a single expression is allowed (no ',' or ';')" };
    case "ThisExpression":
      return { message: "'this' is not allowed" };
    default:
      return { message: `unsupported syntax (${node.type})` };
  }
}
