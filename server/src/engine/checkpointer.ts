/** LangGraph's PostgreSQL checkpointer, in its own schema, on a pool whose errors never crash the process. */
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import type pg from "pg";

/** The checkpointer on a pool owned by the caller (see Database.pool). */
export async function createCheckpointer(pool: pg.Pool) {
  const saver = new PostgresSaver(pool, undefined, { schema: "langgraph" });
  await saver.setup();
  return saver;
}
