/**
 * LangGraph's own checkpointer conformance suite (@langchain/langgraph-checkpoint-validation) on
 * the batched saver: put, putWrites, getTuple, list and delta channel history, against a real
 * PostgreSQL database of its own. Each checkpointer instance gets a fresh schema-less state: the
 * tables are emptied when it is created, as the suite requires.
 */
import pg from "pg";
import * as vitest from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/helpers/db.ts";
import { type BatchedPostgresSaver, CHECKPOINT_SCHEMA, createCheckpointer } from "./checkpointer.ts";

// The suite is written against Jest-style globals; this project does not enable Vitest's.
Object.assign(globalThis, {
  describe: vitest.describe,
  it: vitest.it,
  expect: vitest.expect,
  beforeAll: vitest.beforeAll,
  afterAll: vitest.afterAll,
  beforeEach: vitest.beforeEach,
  afterEach: vitest.afterEach,
});
const { validate } = await import("@langchain/langgraph-checkpoint-validation");

let db: TestDatabase;
let pool: pg.Pool | undefined;

validate<BatchedPostgresSaver>({
  checkpointerName: "BatchedPostgresSaver",
  beforeAllTimeout: 60_000,
  async beforeAll() {
    db = await createTestDatabase();
  },
  async afterAll() {
    await db.drop();
  },
  async createCheckpointer() {
    await pool?.end(); // the suite may create a checkpointer before destroying the last one
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
    // The database is dropped WITH (FORCE) at the end: an idle client then gets "terminating
    // connection due to administrator command", which is expected, not an uncaught error.
    pool.on("error", () => {});
    const saver = await createCheckpointer(pool);
    await pool.query(
      `TRUNCATE ${CHECKPOINT_SCHEMA}.checkpoints, ${CHECKPOINT_SCHEMA}.checkpoint_blobs, ${CHECKPOINT_SCHEMA}.checkpoint_writes`,
    );
    return saver;
  },
  async destroyCheckpointer() {
    await pool?.end();
    pool = undefined;
  },
});
