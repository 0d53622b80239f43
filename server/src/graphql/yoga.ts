/** graphql-yoga serving the Pothos schema at /graphql. */
import { useGraphQLSSE } from "@graphql-yoga/plugin-graphql-sse";
import { GraphQLError, Kind, type ValidationRule } from "graphql";
import { createYoga, maskError, type Plugin } from "graphql-yoga";
import { isDatabaseUnavailable } from "../db/errors.ts";
import type { Logger } from "../observability/logger.ts";
import { QueueUnavailableError } from "../queue/queue.ts";
import type { Context, GraphQLDeps } from "./builder.ts";
import { cappedErrorMessages, documentNestingGuard, requestParamsGuard, storableInput } from "./guards.ts";
import { schema } from "./schema/index.ts";

/** Rejects operations nested deeper than `max` selection levels (fragments followed). */
export function depthLimit(max: number): ValidationRule {
  return (context) => {
    const fragments = new Map(
      context
        .getDocument()
        .definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((d) => [d.name.value, d] as const),
    );
    const depthOf = (node: { selectionSet?: { selections: readonly unknown[] } }, seen: Set<string>): number => {
      if (!node.selectionSet) return 0;
      let deepest = 0;
      for (const sel of node.selectionSet.selections as { kind: string; name?: { value: string } }[]) {
        if (sel.kind === Kind.FRAGMENT_SPREAD) {
          const name = sel.name?.value ?? "";
          const frag = fragments.get(name);
          if (frag && !seen.has(name)) deepest = Math.max(deepest, depthOf(frag, new Set([...seen, name])) - 1);
        } else {
          const inner = depthOf(sel as { selectionSet?: { selections: readonly unknown[] } }, seen);
          deepest = Math.max(deepest, sel.kind === Kind.INLINE_FRAGMENT ? inner - 1 : inner);
        }
      }
      return deepest + 1;
    };
    return {
      OperationDefinition(node) {
        const depth = depthOf(node, new Set());
        if (depth > max) {
          context.reportError(
            new GraphQLError(`query is nested ${depth} levels deep; the limit is ${max}`, { nodes: [node] }),
          );
        }
      },
    };
  };
}

/**
 * A simple cost limit: every selected field costs 1, multiplied by the page size (`first`/`last`,
 * default 20) of the connections above it. Protects the database from huge nested pages.
 */
export function costLimit(max: number): ValidationRule {
  return (context) => ({
    OperationDefinition(node) {
      const cost = (
        set: { selections: readonly unknown[] } | undefined,
        multiplier: number,
        seen: Set<string>,
      ): number => {
        if (!set) return 0;
        let total = 0;
        for (const sel of set.selections as {
          kind: string;
          name?: { value: string };
          arguments?: { name: { value: string }; value: { kind: string; value?: string } }[];
          selectionSet?: { selections: readonly unknown[] };
        }[]) {
          if (sel.kind === Kind.FRAGMENT_SPREAD) {
            const name = sel.name?.value ?? "";
            const frag = context.getFragment(name);
            if (frag && !seen.has(name)) total += cost(frag.selectionSet, multiplier, new Set([...seen, name]));
            continue;
          }
          if (sel.kind === Kind.INLINE_FRAGMENT) {
            total += cost(sel.selectionSet, multiplier, seen);
            continue;
          }
          const page = sel.arguments?.find((a) => a.name.value === "first" || a.name.value === "last");
          // A page size given as a variable is priced at the connection maximum (100).
          const size = page ? (page.value.kind === Kind.INT ? Number(page.value.value) : 100) : 20;
          const isConnection = Boolean(
            sel.arguments?.some((a) => ["first", "last", "after", "before"].includes(a.name.value)),
          );
          total += multiplier + cost(sel.selectionSet, multiplier * (isConnection ? size : 1), seen);
        }
        return total;
      };
      const total = cost(node.selectionSet, 1, new Set());
      if (total > max) {
        context.reportError(
          new GraphQLError(`query cost ${total} exceeds the limit of ${max}; ask for smaller pages or fewer fields`, {
            nodes: [node],
          }),
        );
      }
    },
  });
}

/** Deepest bracket nesting a document may have before it is parsed (selections, lists, objects). */
const DOCUMENT_NESTING_LIMIT = 100;

export function createGraphQLServer(deps: GraphQLDeps, logger: Logger, plugins: Plugin[] = []) {
  return createYoga<{ requestId?: string }, Context>({
    schema,
    graphqlEndpoint: "/graphql",
    landingPage: false,
    graphiql: { title: "FlowTrace GraphQL" },
    maskedErrors: {
      // Storage outages are named (and transient); everything else unexpected stays masked.
      maskError: (error, message, isDev) => {
        const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
        if (isDatabaseUnavailable(original)) {
          return new GraphQLError("the database is unavailable; try again shortly", {
            extensions: { code: "SERVICE_UNAVAILABLE", http: { status: 503 } },
          });
        }
        if (original instanceof QueueUnavailableError) {
          return new GraphQLError("the job queue is unavailable; the run was not started; try again shortly", {
            extensions: { code: "SERVICE_UNAVAILABLE", http: { status: 503 } },
          });
        }
        return maskError(error, message, isDev);
      },
    },
    // Subscriptions over the graphql-sse protocol at /graphql/stream (distinct and single connection modes).
    plugins: [
      useGraphQLSSE(),
      requestParamsGuard(),
      documentNestingGuard(DOCUMENT_NESTING_LIMIT),
      storableInput(),
      cappedErrorMessages(),
      {
        onValidate: ({ addValidationRule }: { addValidationRule: (rule: ValidationRule) => void }) => {
          addValidationRule(depthLimit(12));
          addValidationRule(costLimit(50_000));
        },
      },
      ...plugins,
    ],
    logging: {
      debug: (...args) => logger.debug({ args }, "graphql"),
      info: (...args) => logger.info({ args }, "graphql"),
      warn: (...args) => logger.warn({ args }, "graphql"),
      // An Error is logged through pino's serializer (message and stack), not as `{}`.
      error: (...args) =>
        args[0] instanceof Error ? logger.error({ err: args[0] }, "graphql error") : logger.error({ args }, "graphql"),
    },
    context: ({ requestId }) => ({ deps, requestId }),
  });
}
