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

export function evaluate(ast: Expr, scope: Scope, limits: EvalLimits = DEFAULT_EVAL_LIMITS): unknown {
  let steps = 0;
  const deadline = performance.now() + limits.maxMillis;

  const bounded = (s: string) => {
    if (s.length > limits.maxStringLength) {
      throw new ExpressionRuntimeError(`string result longer than ${limits.maxStringLength} characters`);
    }
    return s;
  };

  const ev = (node: Expr): unknown => {
    if (++steps > limits.maxSteps) throw new ExpressionRuntimeError(`evaluation exceeded ${limits.maxSteps} steps`);
    if ((steps & 255) === 0 && performance.now() > deadline) {
      throw new ExpressionRuntimeError(`evaluation exceeded ${limits.maxMillis} ms`);
    }
    switch (node.type) {
      case "Literal":
        return (node as jsep.Literal).value;
      case "Identifier": {
        const name = (node as jsep.Identifier).name;
        if (name === "true") return true;
        if (name === "false") return false;
        if (name === "null") return null;
        if (!Object.hasOwn(scope, name)) throw new ExpressionRuntimeError(`'${name}' is not defined`);
        return scope[name];
      }
      case "MemberExpression": {
        const m = node as jsep.MemberExpression;
        const object = ev(m.object);
        const key = m.computed ? ev(m.property) : (m.property as jsep.Identifier).name;
        return readProperty(object, key);
      }
      case "CallExpression": {
        const c = node as jsep.CallExpression;
        const name = (c.callee as jsep.Identifier).name;
        const spec = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
        if (!spec) throw new ExpressionRuntimeError(`unknown function '${name}'`);
        const result = spec.fn(...c.arguments.map(ev));
        return typeof result === "string" ? bounded(result) : result;
      }
      case "UnaryExpression": {
        const u = node as jsep.UnaryExpression;
        const v = ev(u.argument);
        if (u.operator === "!") return !truthy(v);
        if (typeof v !== "number")
          throw new ExpressionRuntimeError(`unary ${u.operator} expects a number, got ${typeName(v)}`);
        return u.operator === "-" ? -v : v;
      }
      case "BinaryExpression": {
        const b = node as jsep.BinaryExpression;
        if (b.operator === "&&") {
          const left = ev(b.left);
          return truthy(left) ? ev(b.right) : left;
        }
        if (b.operator === "||") {
          const left = ev(b.left);
          return truthy(left) ? left : ev(b.right);
        }
        const left = ev(b.left);
        const right = ev(b.right);
        switch (b.operator) {
          case "==":
          case "!=":
          case "<":
          case "<=":
          case ">":
          case ">=":
            return compare(b.operator, left, right);
          case "+":
            if (typeof left === "number" && typeof right === "number") return left + right;
            if (typeof left === "string" || typeof right === "string") return bounded(toText(left) + toText(right));
            throw new ExpressionRuntimeError(`cannot add ${typeName(left)} and ${typeName(right)}`);
          default: {
            if (typeof left !== "number" || typeof right !== "number") {
              throw new ExpressionRuntimeError(
                `'${b.operator}' expects numbers, got ${typeName(left)} and ${typeName(right)}`,
              );
            }
            if (b.operator === "-") return left - right;
            if (b.operator === "*") return left * right;
            if (right === 0) throw new ExpressionRuntimeError(`division by zero`);
            return b.operator === "/" ? left / right : left % right;
          }
        }
      }
      case "ConditionalExpression": {
        const t = node as jsep.ConditionalExpression;
        return truthy(ev(t.test)) ? ev(t.consequent) : ev(t.alternate);
      }
      case "ArrayExpression":
        return (node as jsep.ArrayExpression).elements.map((e) => (e ? ev(e) : null));
      default:
        throw new ExpressionRuntimeError(`unsupported syntax (${node.type})`);
    }
  };
  return ev(ast);
}

/** Parse (with checks) and evaluate in one call; throws ExpressionRuntimeError on any problem. */
export function evaluateSource(source: string, scope: Scope, limits?: EvalLimits): unknown {
  const parsed = parseExpression(source, new Set(Object.keys(scope)));
  if (!parsed.ok) throw new ExpressionRuntimeError(parsed.error.message);
  return evaluate(parsed.ast, scope, limits);
}
