/**
 * The Pothos schema builder: plugins, scalars and the request Context live here; each GraphQL type
 * is defined in its own file under ./schema and assembled by ./schema/index.ts.
 */
import SchemaBuilder from "@pothos/core";
import PrismaPlugin from "@pothos/plugin-prisma";
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from "graphql";
import type PrismaTypes from "../db/generated/pothos-types.ts";
import { getDatamodel } from "../db/generated/pothos-types.ts";
import type { PrismaClient } from "../db/prisma.ts";
import type { VersionInfo } from "../version.ts";

export interface GraphQLDeps {
  prisma: PrismaClient;
  version: () => Promise<VersionInfo>;
}

export interface Context {
  deps: GraphQLDeps;
  requestId?: string;
}

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [PrismaPlugin],
  defaultFieldNullability: false,
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

builder.queryType({});
