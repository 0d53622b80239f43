import { CombinedError } from "urql";
import { describe, expect, it } from "vitest";
import { describeError, TOKEN_HINT } from "./errors.ts";
import { RestError } from "./rest.ts";

describe("describeError", () => {
  it("points a 401 to where the API token is set, from GraphQL and from REST", () => {
    const unauthorized = new CombinedError({
      networkError: new Error("Unauthorized"),
      response: new Response(null, { status: 401, statusText: "Unauthorized" }),
    });
    expect(unauthorized.message).toBe("[Network] Unauthorized");
    expect(describeError(unauthorized)).toBe(TOKEN_HINT);
    expect(describeError(new RestError(401, "missing or invalid API token"))).toBe(TOKEN_HINT);
  });

  it("keeps the server's reason for a 403, and explains a bare one", () => {
    const refused = new CombinedError({
      graphQLErrors: [{ message: "your role in this project (viewer) lacks the scope runs:write" }],
      response: new Response(null, { status: 403 }),
    });
    expect(describeError(refused)).toBe("your role in this project (viewer) lacks the scope runs:write");
    expect(describeError(new RestError(403, "Forbidden"))).toMatch(/ask a project admin/);
  });

  it("keeps other messages, without urql's [Network]/[GraphQL] prefix", () => {
    expect(describeError(new CombinedError({ networkError: new Error("Failed to fetch") }))).toBe("Failed to fetch");
    expect(describeError(new RestError(409, "run is still running"))).toBe("run is still running");
  });
});
