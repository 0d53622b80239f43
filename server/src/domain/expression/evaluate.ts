/**
 * Evaluates a checked expression AST over plain JSON data. Bounded: a step budget, a wall-clock
 * budget and a cap on the size of strings it builds. Only own properties of plain objects and
 * arrays are readable; functions are the whitelisted built-ins.
 */
import type jsep from "jsep";
import { ExpressionRuntimeError, FUNCTIONS, toText, typeName } from "./functions.ts";
import { type Expr, FORBIDDEN_PROPERTIES, parseExpression } from "./parse.ts";

export { ExpressionRuntimeError };

export interface EvalLimits {
  maxSteps: number;
  maxMillis: number;
  maxStringLength: number;
}

export const DEFAULT_EVAL_LIMITS: EvalLimits = { maxSteps: 10_000, maxMillis: 50, maxStringLength: 1_000_000 };

export type Scope = Readonly<Record<string, unknown>>;

function readProperty(object: unknown, key: unknown): unknown {
  if (object === null || object === undefined) {
    throw new ExpressionRuntimeError(`cannot read '${String(key)}' of ${object === null ? "null" : "undefined"}`);
  }
  const name = typeof key === "number" ? key : String(key);
  if (typeof name === "string" && FORBIDDEN_PROPERTIES.has(name)) {
    throw new ExpressionRuntimeError(`access to '${name}' is not allowed`);
  }
  if (typeof object === "string") {
    if (name === "length") return object.length;
    if (typeof name === "number" || /^\d+$/.test(name)) return object[Number(name)];
    return undefined;
  }
  if (Array.isArray(object)) {
    if (name === "length") return object.length;
    return typeof name === "number" || /^\d+$/.test(String(name)) ? object[Number(name)] : undefined;
  }
  if (typeof object === "object") {
    const proto = Object.getPrototypeOf(object);
    if (proto !== Object.prototype && proto !== null) throw new ExpressionRuntimeError("only plain data can be read");
    return Object.hasOwn(object, name) ? (object as Record<string | number, unknown>)[name] : undefined;
  }
  return undefined;
}

const truthy = (v: unknown) => Boolean(v);

function compare(op: string, a: unknown, b: unknown): boolean {
  if (op === "==") return a === b || (a === null && b === undefined) || (a === undefined && b === null);
  if (op === "!=") return !compare("==", a, b);
  const bothNumbers = typeof a === "number" && typeof b === "number";
  const bothStrings = typeof a === "string" && typeof b === "string";
  if (!bothNumbers && !bothStrings) {
    throw new ExpressionRuntimeError(`cannot compare ${typeName(a)} ${op} ${typeName(b)}`);
  }
  const x = a as number | string;
  const y = b as number | string;
  switch (op) {
    case "<":
      return x < y;
    case "<=":
      return x <= y;
    case ">":
      return x > y;
    default:
      return x >= y;
  }
}

function arithmetic(operator: string, left: unknown, right: unknown, bounded: (s: string) => string): unknown {
  if (operator === "+") {
    if (typeof left === "number" && typeof right === "number") return left + right;
    if (typeof left === "string" || typeof right === "string") return bounded(toText(left) + toText(right));
    throw new ExpressionRuntimeError(`cannot add ${typeName(left)} and ${typeName(right)}`);
  }
  if (typeof left !== "number" || typeof right !== "number") {
    throw new ExpressionRuntimeError(`'${operator}' expects numbers, got ${typeName(left)} and ${typeName(right)}`);
  }
  if (operator === "-") return left - right;
  if (operator === "*") return left * right;
  if (right === 0) throw new ExpressionRuntimeError(`division by zero`);
  return operator === "/" ? left / right : left % right;
}

const COMPARISONS = new Set(["==", "!=", "<", "<=", ">", ">="]);

/** One evaluation: the scope, and the step and time budget it spends as it walks the tree. */
class Evaluation {
  private steps = 0;
  private readonly deadline: number;

  constructor(
    private readonly scope: Scope,
    private readonly limits: EvalLimits,
  ) {
    this.deadline = performance.now() + limits.maxMillis;
  }

  readonly bounded = (s: string): string => {
    if (s.length > this.limits.maxStringLength) {
      throw new ExpressionRuntimeError(`string result longer than ${this.limits.maxStringLength} characters`);
    }
    return s;
  };

  ev(node: Expr): unknown {
    this.spend();
    switch (node.type) {
      case "Literal":
        return (node as jsep.Literal).value;
      case "Identifier":
        return this.identifier((node as jsep.Identifier).name);
      case "MemberExpression":
        return this.member(node as jsep.MemberExpression);
      case "CallExpression":
        return this.call(node as jsep.CallExpression);
      case "UnaryExpression":
        return this.unary(node as jsep.UnaryExpression);
      case "BinaryExpression":
        return this.binary(node as jsep.BinaryExpression);
      case "ConditionalExpression": {
        const t = node as jsep.ConditionalExpression;
        return truthy(this.ev(t.test)) ? this.ev(t.consequent) : this.ev(t.alternate);
      }
      case "ArrayExpression":
        return (node as jsep.ArrayExpression).elements.map((e) => (e ? this.ev(e) : null));
      default:
        throw new ExpressionRuntimeError(`unsupported syntax (${node.type})`);
    }
  }

  private spend(): void {
    if (++this.steps > this.limits.maxSteps) {
      throw new ExpressionRuntimeError(`evaluation exceeded ${this.limits.maxSteps} steps`);
    }
    if ((this.steps & 255) === 0 && performance.now() > this.deadline) {
      throw new ExpressionRuntimeError(`evaluation exceeded ${this.limits.maxMillis} ms`);
    }
  }

  private identifier(name: string): unknown {
    if (name === "true") return true;
    if (name === "false") return false;
    if (name === "null") return null;
    if (!Object.hasOwn(this.scope, name)) throw new ExpressionRuntimeError(`'${name}' is not defined`);
    return this.scope[name];
  }

  private member(m: jsep.MemberExpression): unknown {
    const object = this.ev(m.object);
    const key = m.computed ? this.ev(m.property) : (m.property as jsep.Identifier).name;
    return readProperty(object, key);
  }

  private call(c: jsep.CallExpression): unknown {
    const name = (c.callee as jsep.Identifier).name;
    const spec = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
    if (!spec) throw new ExpressionRuntimeError(`unknown function '${name}'`);
    const result = spec.fn(...c.arguments.map((a) => this.ev(a)));
    return typeof result === "string" ? this.bounded(result) : result;
  }

  private unary(u: jsep.UnaryExpression): unknown {
    const v = this.ev(u.argument);
    if (u.operator === "!") return !truthy(v);
    if (typeof v !== "number")
      throw new ExpressionRuntimeError(`unary ${u.operator} expects a number, got ${typeName(v)}`);
    return u.operator === "-" ? -v : v;
  }

  private binary(b: jsep.BinaryExpression): unknown {
    const left = this.ev(b.left);
    if (b.operator === "&&") return truthy(left) ? this.ev(b.right) : left;
    if (b.operator === "||") return truthy(left) ? left : this.ev(b.right);
    const right = this.ev(b.right);
    if (COMPARISONS.has(b.operator)) return compare(b.operator, left, right);
    return arithmetic(b.operator, left, right, this.bounded);
  }
}

export function evaluate(ast: Expr, scope: Scope, limits: EvalLimits = DEFAULT_EVAL_LIMITS): unknown {
  return new Evaluation(scope, limits).ev(ast);
}

/** Parse (with checks) and evaluate in one call; throws ExpressionRuntimeError on any problem. */
export function evaluateSource(source: string, scope: Scope, limits?: EvalLimits): unknown {
  const parsed = parseExpression(source, new Set(Object.keys(scope)));
  if (!parsed.ok) throw new ExpressionRuntimeError(parsed.error.message);
  return evaluate(parsed.ast, scope, limits);
}
