/**
 * GraphQL Code Generator: typed documents for the dashboard from the committed schema.graphql.
 * Runs offline: `npx graphql-codegen` (no server needed).
 *
 * External consumers: point `schema` at your FlowTrace server (`http://host:3000/graphql`) or at a
 * copy of schema.graphql, set `documents` to your own operations, and pick the preset you use.
 */
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "schema.graphql",
  documents: ["client/src/**/*.{ts,tsx}", "!client/src/graphql/**"],
  ignoreNoDocuments: true,
  generates: {
    "client/src/graphql/": {
      preset: "client",
      config: {
        useTypeImports: true,
        scalars: { DateTime: "string", JSON: "unknown", Decimal: "string" },
        enumsAsTypes: true,
      },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
