/**
 * Which scope each request needs, in one place: REST routes by method and path, GraphQL by root
 * field. A route or field missing from these tables needs `admin` (fail closed); a test keeps the
 * GraphQL table in step with the schema. Keys with `admin` may do everything in their project;
 * the local owner and the instance administrator are not limited by scopes.
 */
import type { ApiScope } from "@flowtrace/contract/access";
import type { Caller } from "../services/request-context.ts";

/** What a request needs: a scope, or the instance administrator. */
export type Need = ApiScope | "instance";

type Rule = [method: "GET" | "POST" | "PUT" | "DELETE" | "*", path: RegExp, need: Need];

const ID = "[^/]+";
const RULES: Rule[] = [
  ["POST", /^\/api\/projects$/, "instance"],
  ["GET", /^\/api\/projects$/, "workflows:read"],
  ["*", new RegExp(`^/api/projects/${ID}/api-keys(/${ID})?$`), "admin"],
  ["GET", new RegExp(`^/api/projects/${ID}/audit-log$`), "admin"],
  ["POST", new RegExp(`^/api/workflows/${ID}/runs$`), "runs:write"],
  ["POST", new RegExp(`^/api/workflows/${ID}/experiments$`), "runs:write"],
  ["GET", new RegExp(`^/api/workflows/${ID}/experiments$`), "runs:read"],
  ["GET", /^\/api\/workflows(\/.*)?$/, "workflows:read"],
  ["*", /^\/api\/workflows(\/.*)?$/, "workflows:write"],
  ["POST", new RegExp(`^/api/runs/${ID}/approvals/${ID}$`), "approvals:decide"],
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
  if (caller.kind !== "api_key") return true;
  if (need === "instance") return false;
  return caller.scopes.includes(need) || caller.scopes.includes("admin");
}

/** The sentence a refusal gives. */
export function refusal(need: Need): string {
  return need === "instance"
    ? "only the instance administrator (FLOWTRACE_API_TOKEN) may do this"
    : `this API key lacks the scope ${need}`;
}
