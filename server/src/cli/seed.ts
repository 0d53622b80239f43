/** `npm run seed`: create the demo workflows (idempotent) on DATABASE_URL or the embedded database. */
import { openDatabase } from "../db/database.ts";
import { createLogger } from "../observability/logger.ts";
import { seedDemoWorkflows } from "../services/seed.ts";
import { exitWithError, loadConfigOrExit } from "../startup.ts";

async function main() {
  const config = loadConfigOrExit();
  const db = await openDatabase(config, createLogger({ level: "warn" }), { migrate: "apply" });
  try {
    const r = await seedDemoWorkflows(db.prisma, config.publicUrl, { onlyIfEmpty: false });
    console.log(
      r.created.length || r.updated.length
        ? `demo workflows: created ${r.created.length}, updated ${r.updated.length} (documents served from ${config.publicUrl}/demo/)`
        : "demo workflows are already there",
    );
  } finally {
    await db.close();
  }
}

main().catch(exitWithError);
