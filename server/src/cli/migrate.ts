/** `npm run db:migrate`: apply pending SQL migrations to DATABASE_URL (or the embedded database). */
import { redactUrl } from "../config/env.ts";
import { startEmbeddedPostgres } from "../db/embedded.ts";
import { runMigrations } from "../db/migrate.ts";
import { exitWithError, loadConfigOrExit } from "../startup.ts";

async function main() {
  const config = loadConfigOrExit();
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres({ dataDir: config.dataDir });
  const url = config.databaseUrl ?? embedded?.url ?? "";
  try {
    const target = embedded ? `embedded database in ${config.dataDir}` : redactUrl(url);
    const result = await runMigrations(url, { onApplied: (name) => console.log(`applied ${name}`) });
    console.log(
      result.applied.length === 0
        ? `${target}: already up to date (${result.alreadyApplied.length} migrations)`
        : `${target}: applied ${result.applied.length} migration(s), ${result.alreadyApplied.length} were already applied`,
    );
  } finally {
    await embedded?.stop();
  }
}

main().catch(exitWithError);
