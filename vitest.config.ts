import { defineConfig } from "vitest/config";

// `npm test` runs both projects. Integration tests need the real PostgreSQL and Redis
// (DATABASE_URL / REDIS_URL, defaults in server/test/global-setup.ts) and fail loudly without them.
// graphql ships both ESM and CJS; Node (and Pothos) load the CJS build, so tests must too,
// or two copies of graphql meet ("Cannot use GraphQLScalarType from another module or realm").
const resolve = { alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }] };

export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: {
          name: "unit",
          sequence: { groupOrder: 0 },
          include: ["server/src/**/*.test.ts", "server/test/repo/**/*.test.ts", "client/src/**/*.test.ts"],
          exclude: ["**/*.integration.test.ts", "**/node_modules/**"],
          environment: "node",
        },
      },
      {
        resolve,
        test: {
          name: "client",
          sequence: { groupOrder: 0 },
          include: ["client/src/**/*.test.tsx"],
          environment: "jsdom",
          setupFiles: ["client/test/setup.ts"],
        },
      },
      {
        resolve,
        test: {
          name: "integration",
          sequence: { groupOrder: 1 },
          include: ["server/**/*.integration.test.ts", "client/e2e/**/*.e2e.test.ts"],
          exclude: ["**/node_modules/**"],
          globalSetup: ["server/test/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: "forks",
          maxWorkers: 2,
        },
      },
      {
        // `npm run test:chaos`: crashes, outages and chaos (server/test/chaos) and hostile input, SSRF,
        // auth, secrets and limits (server/test/security) against real processes, PostgreSQL and
        // Redis. One file at a time: they kill and restart things.
        resolve,
        test: {
          name: "chaos",
          include: ["server/test/chaos/**/*.chaos.test.ts", "server/test/security/**/*.security.test.ts"],
          globalSetup: ["server/test/global-setup.ts"],
          testTimeout: 240_000,
          hookTimeout: 60_000,
          pool: "forks",
          maxWorkers: 1,
        },
      },
    ],
  },
});
