/**
 * The Pothos schema builder: plugins, scalars and the request Context live here; each GraphQL type
 * is defined in its own file under ./schema and assembled by ./schema/index.ts.
 */
import SchemaBuilder from "@pothos/core";
import ErrorsPlugin from "@pothos/plugin-errors";
import PrismaPlugin from "@pothos/plugin-prisma";
import RelayPlugin from "@pothos/plugin-relay";
import ValidationPlugin from "@pothos/plugin-validation";
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from "graphql";
import type PrismaTypes from "../db/generated/pothos-types.ts";
import { getDatamodel } from "../db/generated/pothos-types.ts";
import type { Services } from "../services/index.ts";
import type { Caller } from "../services/request-context.ts";

/** GraphQL resolvers call the use cases with the process's services object (services/index.ts). */
export type GraphQLDeps = Omit<Services, "providerNames" | "keyring" | "mcp" | "mcpSettings">;

export interface Context {
  /** The services, their prisma scoped to the caller's project. */
  deps: GraphQLDeps;
  /** Who is calling, and in which project (http/caller.ts). */
  caller: Caller | null;
  requestId?: string;
  /** The caller's name (X-FlowTrace-Actor), recorded with the decisions it makes. */
  actor?: string | null;
  /** The caller's W3C trace context: runs it starts become children of its span. */
  trace?: { traceparent: string | null; tracestate: string | null };
}

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
    Decimal: { Input: string; Output: { toString(): string } };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [ErrorsPlugin, ValidationPlugin, PrismaPlugin, RelayPlugin],
  defaultFieldNullability: false,
  relay: { clientMutationId: "omit", cursorType: "String" },
  errors: {
    defaultTypes: [],
    // `createWorkflow: CreateWorkflowResult = Workflow | ValidationError`, no `…Success { data }` wrapper.
    directResult: true,
    defaultUnionOptions: { name: ({ fieldName }) => `${fieldName[0]?.toUpperCase()}${fieldName.slice(1)}Result` },
    // An id argument that is no UUID answers with the field's NotFoundError (see ./ids.ts).
    unsafelyHandleInputErrors: true,
  },
  prisma: {
    client: (ctx) => ctx.deps.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    onUnusedQuery: null,
  },
});

builder.addScalarType(
  "DateTime",
  new GraphQLScalarType<Date, string>({
    name: "DateTime",
    description: "An ISO-8601 timestamp with millisecond precision, always in UTC.",
    serialize: (value) => {
      const date = value instanceof Date ? value : new Date(String(value));
      if (Number.isNaN(date.getTime())) throw new GraphQLError("DateTime cannot represent an invalid date");
      return date.toISOString();
    },
    parseValue: (value) => {
      const date = new Date(String(value));
      if (typeof value !== "string" || Number.isNaN(date.getTime())) {
        throw new GraphQLError("DateTime expects an ISO-8601 string");
      }
      return date;
    },
    parseLiteral: (ast) => {
      if (ast.kind !== Kind.STRING || Number.isNaN(new Date(ast.value).getTime())) {
        throw new GraphQLError("DateTime expects an ISO-8601 string");
      }
      return new Date(ast.value);
    },
  }),
);

function literalToJson(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map(literalToJson);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalToJson(f.value)]));
    default:
      throw new GraphQLError("JSON literals cannot contain variables");
  }
}

builder.addScalarType(
  "JSON",
  new GraphQLScalarType({
    name: "JSON",
    description: "Any JSON value.",
    serialize: (value) => value,
    parseValue: (value) => value,
    parseLiteral: literalToJson,
  }),
);

builder.addScalarType(
  "Decimal",
  new GraphQLScalarType<{ toString(): string }, string>({
    name: "Decimal",
    description: "An exact decimal number, as a string (money: US cents with up to 12 decimals).",
    serialize: (value) => {
      const text = String((value as { toString(): string }).toString());
      if (!/^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(text)) throw new GraphQLError("Decimal cannot represent this value");
      // Prisma's Decimal prints tiny values in exponent form; always answer in plain notation.
      return /e/i.test(text)
        ? Number(text)
            .toFixed(12)
            .replace(/\.?0+$/, "")
        : text;
    },
    parseValue: (value) => {
      if (typeof value !== "string" || !/^-?\d+(\.\d+)?$/.test(value))
        throw new GraphQLError("Decimal expects a decimal string");
      return value;
    },
    parseLiteral: (ast) => {
      if (ast.kind !== Kind.STRING || !/^-?\d+(\.\d+)?$/.test(ast.value))
        throw new GraphQLError("Decimal expects a decimal string");
      return ast.value;
    },
  }),
);

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
