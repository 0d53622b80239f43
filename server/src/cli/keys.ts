/**
 * `flowtrace keys create --project <name|id> --scopes runs:write,runs:read --name ci [--expires ISO]`:
 * a project API key for automation and first set-up, made directly in the configured database
 * (DATABASE_URL) or the embedded data directory — no server needed, no token to start with. The key
 * is printed once, on stdout alone (so `KEY=$(flowtrace keys create …)` works); the rest on stderr.
 */
import { parseArgs } from "node:util";
import { apiScopeSchema } from "@flowtrace/contract/access";
import { loadConfig } from "../config/env.ts";
import { createLogger } from "../observability/logger.ts";
import { createApiKey } from "../services/api-keys.ts";
import { type Actor, recordAudit } from "../services/audit.ts";
import { findProject } from "../services/projects.ts";
import { openAdminDatabase } from "../stack.ts";
import { UsageError } from "./client.ts";

/** Whoever runs the CLI on the database's machine: the instance's operator. */
const CLI_ACTOR: Actor = { type: "instance", id: "cli", name: "flowtrace keys create" };

interface KeyRequest {
  project: string;
  name: string;
  scopes: ReturnType<typeof apiScopeSchema.parse>[];
  expiresAt: Date | null;
}

function parseRequest(argv: string[]): KeyRequest {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      project: { type: "string" },
      scopes: { type: "string" },
      name: { type: "string" },
      expires: { type: "string" },
    },
  });
  if (positionals[0] !== "create" || positionals.length !== 1)
    throw new UsageError("expected `flowtrace keys create …`");
  if (!values.project || !values.scopes || !values.name)
    throw new UsageError("keys create needs --project, --scopes and --name");
  const scopes = values.scopes.split(",").map((s) => s.trim());
  for (const scope of scopes) {
    const parsed = apiScopeSchema.safeParse(scope);
    if (!parsed.success) throw new UsageError(`--scopes: ${JSON.stringify(scope)}: ${parsed.error.issues[0]?.message}`);
  }
  const expiresAt = values.expires ? new Date(values.expires) : null;
  if (expiresAt && (Number.isNaN(expiresAt.getTime()) || expiresAt <= new Date())) {
    throw new UsageError("--expires: expected a future ISO-8601 time, e.g. 2027-01-31T00:00:00Z");
  }
  return { project: values.project, name: values.name, scopes: scopes.map((s) => apiScopeSchema.parse(s)), expiresAt };
}

export async function keysCommand(argv: string[]): Promise<number> {
  let request: KeyRequest;
  try {
    request = parseRequest(argv);
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) throw new UsageError((error as Error).message);
    throw error;
  }
  const config = loadConfig();
  const database = await openAdminDatabase(config, createLogger({ level: "warn" }));
  try {
    const project = await findProject(database.prisma, request.project);
    const { name, scopes, expiresAt } = request;
    const key = await createApiKey(database.prisma, {
      projectId: project.id,
      name,
      scopes,
      expiresAt,
      createdBy: "cli",
    });
    await recordAudit(database.prisma, CLI_ACTOR, project.id, {
      action: "api_key.create",
      targetType: "api_key",
      targetId: key.id,
      details: { name: key.name, prefix: key.prefix, scopes: key.scopes, expires_at: key.expires_at },
    });
    process.stderr.write(
      `API key ${key.name} (${key.prefix}…) for project ${project.name}, scopes ${key.scopes.join(", ")}; shown once:\n`,
    );
    process.stdout.write(`${key.key}\n`);
    return 0;
  } finally {
    await database.close();
  }
}
