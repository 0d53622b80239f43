/** `npm run seed`: create the demo workflows (idempotent) on DATABASE_URL or the embedded database. */
import { startEmbeddedPostgres } from "../db/embedded.ts";
import { runMigrations } from "../db/migrate.ts";
import { createPrismaClient } from "../db/prisma.ts";
import { seedDemoWorkflows } from "../services/seed.ts";
import { exitWithError, loadConfigOrExit } from "../startup.ts";

async function main() {
  const config = loadConfigOrExit();
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres({ dataDir: config.dataDir });
  const url = config.databaseUrl ?? embedded?.url ?? "";
  await runMigrations(url);
  const prisma = createPrismaClient(url, { maxConnections: 1 });
  try {
    const r = await seedDemoWorkflows(prisma, config.publicUrl, { onlyIfEmpty: false });
    console.log(
      r.created.length || r.updated.length
        ? `demo workflows: created ${r.created.length}, updated ${r.updated.length} (documents served from ${config.publicUrl}/demo/)`
        : "demo workflows are already there",
    );
  } finally {
    await prisma.$disconnect();
    await embedded?.stop();
  }
}

main().catch(exitWithError);
