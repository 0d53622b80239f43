/** graphql-yoga serving the Pothos schema at /graphql. */
import { createYoga, type Plugin } from "graphql-yoga";
import type { Logger } from "../observability/logger.ts";
import type { Context, GraphQLDeps } from "./builder.ts";
import { schema } from "./schema/index.ts";

export function createGraphQLServer(deps: GraphQLDeps, logger: Logger, plugins: Plugin[] = []) {
  return createYoga<{ requestId?: string }, Context>({
    schema,
    graphqlEndpoint: "/graphql",
    landingPage: false,
    graphiql: { title: "FlowTrace GraphQL" },
    maskedErrors: true,
    plugins,
    logging: {
      debug: (...args) => logger.debug({ args }, "graphql"),
      info: (...args) => logger.info({ args }, "graphql"),
      warn: (...args) => logger.warn({ args }, "graphql"),
      error: (...args) => logger.error({ args }, "graphql"),
    },
    context: ({ requestId }) => ({ deps, requestId }),
  });
}
