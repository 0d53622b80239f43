import { API_SCOPES } from "@flowtrace/contract/access";
import { describe, expect, it } from "vitest";
import { schema } from "../graphql/schema/index.ts";
import type { Caller } from "../services/request-context.ts";
import { allows, GRAPHQL_NEEDS, restNeed } from "./access.ts";

const key = (scopes: Caller extends infer C ? (C extends { scopes: infer S } ? S : never) : never): Caller => ({
  kind: "api_key",
  projectId: "p",
  projectName: "p",
  keyId: "k",
  keyName: "k",
  scopes,
});

describe("access", () => {
  it("names a scope for every root field of the schema (a new field must be added, or it needs admin)", () => {
    const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
    const fields = roots.flatMap((t) => Object.keys(t?.getFields() ?? {}));
    expect(fields.filter((f) => !(f in GRAPHQL_NEEDS))).toEqual([]);
    for (const need of Object.values(GRAPHQL_NEEDS)) expect([...API_SCOPES, "account", "owner"]).toContain(need);
  });

  it("maps REST routes to scopes, and anything unknown to admin", () => {
    const id = "0b6d6d39-7d8e-4a4c-9a1b-111111111111";
    expect(restNeed("GET", `/api/workflows/${id}`)).toBe("workflows:read");
    expect(restNeed("PUT", `/api/workflows/${id}`)).toBe("workflows:write");
    expect(restNeed("POST", `/api/workflows/${id}/runs`)).toBe("runs:write");
    expect(restNeed("GET", `/api/runs/${id}/stream`)).toBe("runs:read");
    expect(restNeed("POST", `/api/runs/${id}/approvals/gate`)).toBe("approvals:decide");
    expect(restNeed("POST", `/api/datasets/${id}/items`)).toBe("datasets:write");
    expect(restNeed("POST", "/api/projects")).toBe("account");
    expect(restNeed("DELETE", `/api/projects/${id}`)).toBe("owner");
    expect(restNeed("PUT", `/api/projects/${id}/members/${id}`)).toBe("admin");
    expect(restNeed("GET", `/api/projects/${id}/spend`)).toBe("runs:read");
    expect(restNeed("DELETE", `/api/projects/${id}/api-keys/${id}`)).toBe("admin");
    expect(restNeed("PATCH", "/api/something-new")).toBe("admin");
  });

  it("lets admin keys do everything in their project but never create projects or act as an owner", () => {
    expect(allows(key(["admin"]), "runs:write")).toBe(true);
    expect(allows(key(["admin"]), "account")).toBe(false);
    expect(allows(key(["admin"]), "owner")).toBe(false);
    expect(allows(key(["runs:read"]), "runs:write")).toBe(false);
    expect(allows({ kind: "local", projectId: "p", projectName: "p" }, "owner")).toBe(true);
  });

  it("gives each role its scopes: viewers read, members run, admins manage, owners also delete", () => {
    const person = (role: "owner" | "admin" | "member" | "viewer"): Caller => ({
      kind: "user",
      projectId: "p",
      projectName: "p",
      userId: "u",
      userName: "u",
      email: "u@example.com",
      role,
      sessionId: "s",
    });
    expect(allows(person("viewer"), "runs:read")).toBe(true);
    expect(allows(person("viewer"), "runs:write")).toBe(false);
    expect(allows(person("member"), "runs:write")).toBe(true);
    expect(allows(person("member"), "approvals:decide")).toBe(true);
    expect(allows(person("member"), "admin")).toBe(false);
    expect(allows(person("admin"), "admin")).toBe(true);
    expect(allows(person("admin"), "owner")).toBe(false);
    expect(allows(person("owner"), "owner")).toBe(true);
    expect(allows(person("viewer"), "account")).toBe(true);
  });
});
