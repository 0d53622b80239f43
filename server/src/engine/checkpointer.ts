/** LangGraph's PostgreSQL checkpointer, in its own schema, on a pool whose errors never crash the process. */
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import type pg from "pg";

/**
 * The checkpointer on a pool owned by the caller (see Database.pool). Several workers starting at
 * once race on LangGraph's own schema migrations (`checkpoint_migrations` primary key): the loser
 * retries and finds them applied.
 */
export async function createCheckpointer(pool: pg.Pool) {
  const saver = new PostgresSaver(pool, undefined, { schema: "langgraph" });
  for (let attempt = 1; ; attempt++) {
    try {
      await saver.setup();
      return saver;
    } catch (error) {
      const code = (error as { code?: string }).code;
      // 23505 unique_violation / 42P07 duplicate_table / 42710 duplicate_object: another process won the race.
      if (attempt >= 5 || !["23505", "42P07", "42710"].includes(code ?? "")) throw error;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}
