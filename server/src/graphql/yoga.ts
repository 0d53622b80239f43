/** graphql-yoga serving the Pothos schema at /graphql. */
import { useGraphQLSSE } from "@graphql-yoga/plugin-graphql-sse";
import { GraphQLError } from "graphql";
import { createYoga, maskError, type Plugin } from "graphql-yoga";
import { isDatabaseUnavailable } from "../db/errors.ts";
import type { Logger } from "../observability/logger.ts";
import { QueueUnavailableError } from "../queue/queue.ts";
import { RefusedError } from "../services/errors.ts";
import type { Caller } from "../services/request-context.ts";
import { scopeCheck } from "./access-plugin.ts";
import type { Context, GraphQLDeps } from "./builder.ts";
import { cappedErrorMessages, documentNestingGuard, requestParamsGuard, storableInput } from "./guards.ts";
import { operationLimits } from "./limits.ts";
import { schema } from "./schema/index.ts";

/** Deepest bracket nesting a document may have before it is parsed (selections, lists, objects). */
const DOCUMENT_NESTING_LIMIT = 100;

/** What the HTTP layer hands each request: its caller and the project-scoped client (http/caller.ts). */
export interface RequestScope {
  caller: Caller;
  prisma: GraphQLDeps["prisma"];
}

/** The request's services: the same, with the caller's project-scoped client. */
function scopedDeps(deps: GraphQLDeps, scope: RequestScope | undefined): GraphQLDeps {
  if (!scope) throw new GraphQLError("unidentified request: GraphQL is served behind the HTTP layer's caller check");
  return { ...deps, prisma: scope.prisma };
}

/** Storage outages and refusals are named (their code and status); everything else unexpected stays masked. */
function namedOrMasked(error: unknown, message: string, isDev?: boolean) {
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
  if (original instanceof RefusedError) {
    // A hard budget used up (402), a refused action (403): the code says which.
    return new GraphQLError(original.message, {
      extensions: { code: original.code.toUpperCase(), http: { status: original.status } },
    });
  }
  return maskError(error, message, isDev);
}

export function createGraphQLServer(deps: GraphQLDeps, logger: Logger, plugins: Plugin[] = []) {
  return createYoga<{ requestId?: string; scope?: RequestScope; outcome?: { status?: number } }, Context>({
    schema,
    graphqlEndpoint: "/graphql",
    landingPage: false,
    // Yoga's default CORS reflects any Origin with credentials; CORS is the HTTP layer's (http/request-guards.ts).
    cors: false,
    graphiql: { title: "FlowTrace GraphQL" },
    maskedErrors: {
      // Storage outages are named (and transient); everything else unexpected stays masked.
      maskError: namedOrMasked,
    },
    // Subscriptions over the graphql-sse protocol at /graphql/stream (distinct and single connection modes).
    plugins: [
      useGraphQLSSE(),
      requestParamsGuard(),
      scopeCheck(),
      documentNestingGuard(DOCUMENT_NESTING_LIMIT),
      storableInput(),
      cappedErrorMessages(),
      operationLimits(),
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
    context: ({ requestId, request, scope }) => ({
      deps: scopedDeps(deps, scope),
      caller: scope?.caller ?? null,
      requestId,
      actor: request?.headers.get("x-flowtrace-actor") ?? null,
      trace: {
        traceparent: request?.headers.get("traceparent") ?? null,
        tracestate: request?.headers.get("tracestate") ?? null,
      },
    }),
  });
}
