/**
 * GraphQL's scope check: every root field of an operation (query, mutation or subscription) needs
 * the scope http/access.ts names for it; an API key without it gets one error naming the scope,
 * HTTP 403, and nothing is executed. The local owner and the instance administrator pass.
 */

import type { DocumentNode } from "graphql";
import { GraphQLError, Kind, type OperationDefinitionNode, type SelectionSetNode } from "graphql";
import type { Plugin } from "graphql-yoga";
import { allows, graphqlNeed, refusal } from "../http/access.ts";
import type { Caller } from "../services/request-context.ts";
import type { Context } from "./builder.ts";

function operationOf(document: DocumentNode, name: string | null | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return name ? operations.find((o) => o.name?.value === name) : operations[0];
}

/** Root field names, through inline fragments and fragment spreads. */
function rootFields(document: DocumentNode, set: SelectionSetNode, seen = new Set<string>()): string[] {
  return set.selections.flatMap((s) => {
    if (s.kind === Kind.FIELD) return [s.name.value];
    if (s.kind === Kind.INLINE_FRAGMENT) return rootFields(document, s.selectionSet, seen);
    if (seen.has(s.name.value)) return [];
    seen.add(s.name.value);
    const fragment = document.definitions.find(
      (d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === s.name.value,
    );
    return fragment && fragment.kind === Kind.FRAGMENT_DEFINITION
      ? rootFields(document, fragment.selectionSet, seen)
      : [];
  });
}

/** The refusal for this operation and caller, or null when it may run. */
function forbidden(args: { document: DocumentNode; operationName?: string | null; contextValue: unknown }) {
  // Validation runs before the context is built: the caller comes from the HTTP layer's scope.
  const context = args.contextValue as Partial<Context> & { scope?: { caller: Caller } };
  const caller = context.scope?.caller ?? context.caller;
  const operation = operationOf(args.document, args.operationName);
  if (!caller || !operation) return null;
  const denied = rootFields(args.document, operation.selectionSet)
    .map(graphqlNeed)
    .find((need) => !allows(caller, need));
  if (!denied) return null;
  return {
    errors: [new GraphQLError(refusal(caller, denied), { extensions: { code: "FORBIDDEN", http: { status: 403 } } })],
  };
}

export function scopeCheck(): Plugin {
  // As a validation step, so it holds for every transport (HTTP and graphql-sse) before execution.
  return {
    onValidate({ params, context, setResult }) {
      const refused = forbidden({
        document: params.documentAST,
        contextValue: context,
        operationName: operationName(context),
      });
      if (!refused) return;
      // The HTTP layer answers 403 (graphql-sse has sent its 200 already and carries the error).
      const outcome = (context as { outcome?: { status?: number } }).outcome;

      if (outcome) outcome.status = 403;
      setResult(refused.errors);
    },
    // graphql-sse validates without the HTTP layer's scope in its context: every operation is checked
    // again once the context is built.
    onExecute({ args, setResultAndStopExecution }) {
      const refused = forbidden(args);
      if (refused) setResultAndStopExecution(refused);
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const refused = forbidden(args);
      if (refused) setResultAndStopExecution(once(refused));
    },
  };
}

/** A subscription's stream of one result: the refusal. */
async function* once<T>(result: T): AsyncGenerator<T> {
  yield result;
}

/** The operation the request names (graphql-sse and HTTP both put it in the params). */
function operationName(context: unknown): string | null {
  return (context as { params?: { operationName?: string | null } }).params?.operationName ?? null;
}
