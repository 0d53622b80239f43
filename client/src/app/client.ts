/** urql over HTTP for queries/mutations; graphql-sse for subscriptions. Both carry the API token. */
import { createClient as createSseClient } from "graphql-sse";
import { Client, cacheExchange, fetchExchange } from "urql";
import { authHeaders } from "../lib/auth.ts";

export function createUrqlClient() {
  return new Client({
    url: "/graphql",
    exchanges: [cacheExchange, fetchExchange],
    fetchOptions: () => ({ headers: authHeaders() }),
    requestPolicy: "cache-and-network",
  });
}

export function createSubscriptionClient() {
  return createSseClient({ url: "/graphql/stream", headers: () => authHeaders(), retryAttempts: 0 });
}
