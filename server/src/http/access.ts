/**
 * Which scope each request needs, in one place: REST routes by method and path, GraphQL by root
 * field. A route or field missing from these tables needs `admin` (fail closed); a test keeps the
 * GraphQL table in step with the schema. Keys with `admin` may do everything in their project;
 * the local owner and the instance administrator are not limited by scopes.
 */
import { type ApiScope, ROLE_SCOPES } from "@flowtrace/contract/access";
import type { Caller } from "../services/request-context.ts";

/**
 * What a request needs: a scope; `account`: a person or the administrator (creating a project,
 * never a project's key); `owner`: a project's owner (deleting it).
 */
export type Need = ApiScope | "account" | "owner";

type Rule = [method: "GET" | "POST" | "PUT" | "DELETE" | "*", path: RegExp, need: Need];

const ID = "[^/]+";
const RULES: Rule[] = [
  ["POST", /^\/api\/projects$/, "account"],
  ["GET", /^\/api\/projects$/, "workflows:read"],
  ["DELETE", new RegExp(`^/api/projects/${ID}$`), "owner"],
  ["PUT", new RegExp(`^/api/projects/${ID}$`), "admin"],
  ["*", new RegExp(`^/api/projects/${ID}/(members|invitations|budget|alerts)(/.*)?$`), "admin"],
  ["GET", new RegExp(`^/api/projects/${ID}/spend$`), "runs:read"],
  ["*", new RegExp(`^/api/projects/${ID}/api-keys(/${ID})?$`), "admin"],
  ["GET", new RegExp(`^/api/projects/${ID}/audit-log$`), "admin"],
  ["*", /^\/api\/secrets(\/[^/]+)?$/, "admin"],
  ["*", /^\/mcp$/, "runs:write"],
  ["GET", /^\/api\/mcp-servers(\/.*)?$/, "workflows:read"],
  ["*", /^\/api\/mcp-servers(\/.*)?$/, "workflows:write"],
  ["POST", new RegExp(`^/api/workflows/${ID}/runs$`), "runs:write"],
  ["POST", new RegExp(`^/api/workflows/${ID}/experiments$`), "runs:write"],
  ["GET", new RegExp(`^/api/workflows/${ID}/experiments$`), "runs:read"],
  ["GET", /^\/api\/workflows(\/.*)?$/, "workflows:read"],
  ["*", /^\/api\/workflows(\/.*)?$/, "workflows:write"],
  ["POST", new RegExp(`^/api/runs/${ID}/approvals/${ID}$`), "approvals:decide"],
  ["POST", new RegExp(`^/api/approvals/${ID}$`), "approvals:decide"],
  ["GET", /^\/api\/(runs|approvals|experiments)(\/.*)?$/, "runs:read"],
  ["POST", /^\/api\/(runs|experiments)\/.*$/, "runs:write"],
  ["GET", /^\/api\/datasets(\/.*)?$/, "runs:read"],
  ["*", /^\/api\/datasets(\/.*)?$/, "datasets:write"],
];

export function restNeed(method: string, path: string): Need {
  const rule = RULES.find(([m, re]) => (m === "*" || m === method) && re.test(path));
  return rule ? rule[2] : "admin";
}

/** The scope each GraphQL root field needs. */
export const GRAPHQL_NEEDS: Record<string, Need> = {
  // Queries
  workflows: "workflows:read",
  workflow: "workflows:read",
  validateWorkflow: "workflows:read",
  providers: "workflows:read",
  pricing: "workflows:read",
  version: "workflows:read",
  runs: "runs:read",
  run: "runs:read",
  step: "runs:read",
  pendingApprovals: "runs:read",
  datasets: "runs:read",
  dataset: "runs:read",
  experiment: "runs:read",
  // Mutations
  createWorkflow: "workflows:write",
  updateWorkflow: "workflows:write",
  deleteWorkflow: "workflows:write",
  restoreWorkflowVersion: "workflows:write",
  setProviderBinding: "workflows:write",
  removeProviderBinding: "workflows:write",
  startRun: "runs:write",
  cancelRun: "runs:write",
  rerunRun: "runs:write",
  startExperiment: "runs:write",
  cancelExperiment: "runs:write",
  decideApproval: "approvals:decide",
  decideApprovalById: "approvals:decide",
  createDataset: "datasets:write",
  updateDataset: "datasets:write",
  deleteDataset: "datasets:write",
  addDatasetItems: "datasets:write",
  importDatasetItems: "datasets:write",
  addRunToDataset: "datasets:write",
  // Subscriptions
  runEvents: "runs:read",
  runOutput: "runs:read",
  runUpdated: "runs:read",
  // Introspection
  __schema: "workflows:read",
  __type: "workflows:read",
  __typename: "workflows:read",
};

export const graphqlNeed = (field: string): Need => GRAPHQL_NEEDS[field] ?? "admin";

/** Whether the caller may do what needs `need`. */
export function allows(caller: Caller, need: Need): boolean {
  if (caller.kind === "user") {
    if (need === "account") return true;
    if (need === "owner") return caller.role === "owner";
    return holds(ROLE_SCOPES[caller.role], need);
  }
  if (caller.kind === "api_key") return need !== "account" && need !== "owner" && holds(caller.scopes, need);
  return true;
}

const holds = (scopes: readonly ApiScope[], need: ApiScope) => scopes.includes(need) || scopes.includes("admin");

/** The sentence a refusal gives. */
export function refusal(caller: Caller, need: Need): string {
  if (need === "account") return "a project API key cannot create projects: sign in, or use FLOWTRACE_API_TOKEN";
  if (caller.kind === "user") {
    const what = need === "owner" ? "the owner role" : `the scope ${need}`;
    return `your role in this project (${caller.role}) lacks ${what}`;
  }
  return `this API key lacks the scope ${need === "owner" ? "owner (a person's role)" : need}`;
}
