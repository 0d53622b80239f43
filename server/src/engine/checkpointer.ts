/** LangGraph's PostgreSQL checkpointer, in its own schema, on a pool whose errors never crash the process. */
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import pg from "pg";
import type { Logger } from "../observability/logger.ts";

export async function createCheckpointer(databaseUrl: string, logger: Logger) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4, connectionTimeoutMillis: 5_000 });
  pool.on("error", (error) => logger.warn({ err: error.message }, "checkpointer connection error"));
  const saver = new PostgresSaver(pool, undefined, { schema: "langgraph" });
  await saver.setup();
  return { saver, close: () => pool.end() };
}
