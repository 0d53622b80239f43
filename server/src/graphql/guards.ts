/**
 * Guards in front of graphql-yoga for input it would otherwise answer with a 500 or pass on to
 * storage: malformed GET / form parameters, documents nested deep enough to overflow the parser's
 * stack, values PostgreSQL cannot store, and error messages that quote megabytes of input back.
 */
import { GraphQLError, type ValidationRule } from "graphql";
import type { Plugin } from "graphql-yoga";
import { describeStorageIssues, storageIssues } from "../domain/storable-json.ts";

const badRequest = (message: string) =>
  new Response(JSON.stringify({ errors: [{ message, extensions: { code: "BAD_REQUEST" } }] }), {
    status: 400,
    headers: { "content-type": "application/json; charset=utf-8" },
  });

/**
 * `variables` and `extensions` in a query string or a form body must be JSON objects; yoga would
 * throw on them unchecked.
 */
export function requestParamsGuard(): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      let params: URLSearchParams | null = null;
      if (request.method === "GET") params = url.searchParams;
      else if (/^application\/x-www-form-urlencoded/i.test(request.headers.get("content-type") ?? "")) {
        params = new URLSearchParams(await request.clone().text());
      }
      if (!params) return;
      for (const name of ["variables", "extensions"]) {
        const raw = params.get(name);
        if (raw === null || raw === "") continue;
        let value: unknown;
        try {
          value = JSON.parse(raw);
        } catch {
          return endResponse(badRequest(`the '${name}' parameter is not valid JSON; expected a JSON object`));
        }
        if (value !== null && (typeof value !== "object" || Array.isArray(value))) {
          return endResponse(badRequest(`the '${name}' parameter must be a JSON object`));
        }
      }
    },
  };
}

/** Deepest `{`, `[` or `(` nesting in a GraphQL document, strings and comments skipped. */
export function documentNesting(source: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === "#") {
      while (i < source.length && source[i] !== "\n" && source[i] !== "\r") i++;
    } else if (ch === '"') {
      if (source.startsWith('"""', i)) {
        const end = source.indexOf('"""', i + 3);
        i = end === -1 ? source.length : end + 2;
      } else {
        for (i++; i < source.length && source[i] !== '"' && source[i] !== "\n"; i++) if (source[i] === "\\") i++;
      }
    } else if (ch === "{" || ch === "[" || ch === "(") {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (ch === "}" || ch === "]" || ch === ")") {
      depth = Math.max(0, depth - 1);
    }
  }
  return deepest;
}

/** Refuses, before parsing, documents nested deeper than `max` (the parser recurses per level). */
export function documentNestingGuard(max: number): Plugin {
  return {
    onParse({ params }) {
      const source = typeof params.source === "string" ? params.source : params.source.body;
      const nesting = documentNesting(source);
      if (nesting > max) {
        throw new GraphQLError(`the document is nested ${nesting} levels deep; the limit is ${max}`, {
          extensions: { code: "BAD_REQUEST", http: { status: 400 } },
        });
      }
    },
  };
}

/**
 * Refuses input PostgreSQL could not store (NUL, unpaired surrogates, nesting past
 * MAX_JSON_DEPTH) before anything runs: variables here, string literals in the document below.
 */
export function storableInput(): Plugin {
  const refuse = (variables: unknown) => {
    const issues = storageIssues(variables ?? {}, { path: ["variables"] });
    if (issues.length === 0) return null;
    return {
      errors: [
        new GraphQLError(`invalid variables: ${describeStorageIssues(issues)}`, {
          extensions: { code: "BAD_USER_INPUT", issues },
        }),
      ],
    };
  };
  return {
    onValidate: ({ addValidationRule }: { addValidationRule: (rule: ValidationRule) => void }) => {
      addValidationRule((context) => ({
        StringValue(node) {
          const issue = storageIssues(node.value)[0];
          if (issue) context.reportError(new GraphQLError(`string literal: ${issue.message}`, { nodes: [node] }));
        },
      }));
    },
    onExecute: ({ args, setResultAndStopExecution }) => {
      const refused = refuse(args.variableValues);
      if (refused) setResultAndStopExecution(refused);
    },
    onSubscribe: ({ args, setResultAndStopExecution }) => {
      const refused = refuse(args.variableValues);
      if (refused) setResultAndStopExecution(refused);
    },
  };
}

/** Longest error message sent to a client: coercion errors quote the offending value in full. */
const MAX_ERROR_MESSAGE = 1_000;

type ResultLike = { errors?: readonly GraphQLError[] };

/** Shortens long error messages in every result sent (single results and batches). */
export function cappedErrorMessages(): Plugin {
  const cap = (result: ResultLike): ResultLike =>
    result.errors?.some((e) => e.message.length > MAX_ERROR_MESSAGE)
      ? { ...result, errors: result.errors.map((e) => (e instanceof GraphQLError ? capMessage(e) : e)) }
      : result;
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result)) setResult(result.map((r) => cap(r as ResultLike)) as typeof result);
      else if (result && typeof result === "object" && "errors" in result)
        setResult(cap(result as ResultLike) as typeof result);
    },
  };
}

function capMessage(error: GraphQLError): GraphQLError {
  if (error.message.length <= MAX_ERROR_MESSAGE) return error;
  const cut = error.message.length - MAX_ERROR_MESSAGE;
  return new GraphQLError(`${error.message.slice(0, MAX_ERROR_MESSAGE)}… [${cut} more characters]`, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
}
