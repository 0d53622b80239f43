/** Assembles the GraphQL schema from one file per type. */
import { lexicographicSortSchema } from "graphql";
import { builder } from "../builder.ts";
import "./errors.ts";
import "./system.ts";
import "./workflow.ts";
import "./run.ts";
import "./rerun.ts";
import "./approvals.ts";
import "./metrics.ts";
import "./datasets.ts";
import "./experiments.ts";
import "./subscriptions.ts";

export const schema = lexicographicSortSchema(builder.toSchema());
