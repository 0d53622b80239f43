/** graphql-yoga serving the Pothos schema at /graphql. */
import { useGraphQLSSE } from "@graphql-yoga/plugin-graphql-sse";
import { GraphQLError, Kind, type ValidationRule } from "graphql";
import { createYoga, type Plugin } from "graphql-yoga";
import type { Logger } from "../observability/logger.ts";
import type { Context, GraphQLDeps } from "./builder.ts";
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

export function createGraphQLServer(deps: GraphQLDeps, logger: Logger, plugins: Plugin[] = []) {
  return createYoga<{ requestId?: string }, Context>({
    schema,
    graphqlEndpoint: "/graphql",
    landingPage: false,
    graphiql: { title: "FlowTrace GraphQL" },
    maskedErrors: true,
    // Subscriptions over the graphql-sse protocol at /graphql/stream (distinct and single connection modes).
    plugins: [
      useGraphQLSSE(),
      {
        onValidate: ({ addValidationRule }: { addValidationRule: (rule: ValidationRule) => void }) => {
          addValidationRule(depthLimit(12));
        },
      },
      ...plugins,
    ],
    logging: {
      debug: (...args) => logger.debug({ args }, "graphql"),
      info: (...args) => logger.info({ args }, "graphql"),
      warn: (...args) => logger.warn({ args }, "graphql"),
      error: (...args) => logger.error({ args }, "graphql"),
    },
    context: ({ requestId }) => ({ deps, requestId }),
  });
}
