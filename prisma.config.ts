// Prisma CLI configuration (Prisma 7). Used by `prisma generate` (offline-safe, see scripts/generate.mjs)
// and, on machines that can download Prisma's native engine, by `prisma migrate deploy`.
// The application itself never reads this file: its database URL comes from server/src/config/env.ts.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: {
    // biome-ignore lint/style/noProcessEnv: tooling config, read by the Prisma CLI only
    url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/flowtrace",
  },
});
