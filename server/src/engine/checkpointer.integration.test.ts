/** The batched checkpointer writes exactly what LangGraph's stock PostgresSaver writes, and reads it back. */
import { emptyCheckpoint, TASKS } from "@langchain/langgraph-checkpoint";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/helpers/db.ts";
import { type BatchedPostgresSaver, CHECKPOINT_SCHEMA, createCheckpointer } from "./checkpointer.ts";

let db: TestDatabase;
let pool: pg.Pool;
let batched: BatchedPostgresSaver;
let stock: PostgresSaver;
beforeAll(async () => {
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  batched = await createCheckpointer(pool);
  stock = new PostgresSaver(pool, undefined, { schema: CHECKPOINT_SCHEMA });
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

/** The same history through a saver: two checkpoints, ordinary writes, a special (error) write, a rewrite. */
async function writeHistory(saver: PostgresSaver, thread: string) {
  const first = { ...emptyCheckpoint(), id: "1ef0-0001", ts: "2026-11-24T10:00:00.000Z" };
  first.channel_values = { outputs: { a: "Å answer with \u00e9 and 😀" }, outcomes: { a: { status: "succeeded" } } };
  first.channel_versions = { outputs: 1, outcomes: 1, empty: 1 };
  const c1 = await saver.put(
    { configurable: { thread_id: thread, checkpoint_ns: "" } },
    first,
    { source: "loop", step: 0, parents: {} },
    { outputs: 1, outcomes: 1, empty: 1 },
  );
  await saver.putWrites(
    c1,
    [
      ["outputs", { b: "second" }],
      ["outcomes", { b: { status: "succeeded", active: [0] } }],
    ],
    "task-b",
  );
  await saver.putWrites(c1, [["outputs", { b: "ignored: the first write of a task and index stays" }]], "task-b");
  await saver.putWrites(c1, [["__error__", { message: "boom" }]], "task-c");
  await saver.putWrites(c1, [["__error__", { message: "boom again" }]], "task-c"); // special channels overwrite
  await saver.putWrites(c1, [], "task-d");
  const second = { ...emptyCheckpoint(), id: "1ef0-0002", ts: "2026-11-24T10:00:01.000Z" };
  second.channel_values = { outputs: { a: "Å answer with \u00e9 and 😀", b: "second" } };
  second.channel_versions = { outputs: 2, outcomes: 1, [TASKS]: 1 };
  await saver.put(c1, second, { source: "loop", step: 1, parents: {} }, { outputs: 2 });
  return saver.getTuple({ configurable: { thread_id: thread, checkpoint_ns: "" } });
}

async function rows(thread: string) {
  const q = (sql: string) => pool.query(sql, [thread]).then((r) => r.rows.map(({ thread_id: _, ...rest }) => rest));
  return {
    checkpoints: await q(`SELECT * FROM ${CHECKPOINT_SCHEMA}.checkpoints WHERE thread_id = $1 ORDER BY checkpoint_id`),
    blobs: await q(
      `SELECT * FROM ${CHECKPOINT_SCHEMA}.checkpoint_blobs WHERE thread_id = $1 ORDER BY channel, version`,
    ),
    writes: await q(
      `SELECT * FROM ${CHECKPOINT_SCHEMA}.checkpoint_writes WHERE thread_id = $1 ORDER BY checkpoint_id, task_id, idx`,
    ),
  };
}

describe("BatchedPostgresSaver", () => {
  it("stores the same rows as the stock saver, in one statement per put and per putWrites", async () => {
    let statements = 0;
    const counting = new Proxy(pool, {
      get(target, prop, receiver) {
        if (prop === "query")
          return (...args: unknown[]) => {
            statements++;
            return (target.query as (...a: unknown[]) => unknown)(...args);
          };
        return Reflect.get(target, prop, receiver);
      },
    });
    const { BatchedPostgresSaver: Saver } = await import("./checkpointer.ts");
    await writeHistory(new Saver(counting as pg.Pool), "batched-count");
    expect(statements).toBe(2 + 4 + 1); // two puts, four non-empty putWrites, the final getTuple

    await writeHistory(batched, "batched");
    await writeHistory(stock, "stock");
    const [mine, theirs] = [await rows("batched"), await rows("stock")];
    expect(mine.checkpoints).toHaveLength(2);
    expect(mine.blobs.length).toBeGreaterThanOrEqual(4);
    expect(mine.writes.length).toBe(3);
    expect(mine).toEqual(theirs);
  });

  it("reads back through LangGraph: channel values, parent link and pending writes", async () => {
    const tuple = await writeHistory(batched, "readback");
    const viaStock = await stock.getTuple({ configurable: { thread_id: "readback", checkpoint_ns: "" } });
    expect(tuple?.checkpoint.id).toBe("1ef0-0002");
    expect(tuple?.checkpoint.channel_values.outputs).toEqual({ a: "Å answer with \u00e9 and 😀", b: "second" });
    expect(tuple?.parentConfig?.configurable?.checkpoint_id).toBe("1ef0-0001");
    expect(viaStock).toEqual(tuple);
    const parent = await batched.getTuple({
      configurable: { thread_id: "readback", checkpoint_ns: "", checkpoint_id: "1ef0-0001" },
    });
    expect(parent?.pendingWrites).toEqual(
      expect.arrayContaining([
        ["task-b", "outputs", { b: "second" }],
        ["task-c", "__error__", { message: "boom again" }],
      ]),
    );
    expect(parent?.pendingWrites).toHaveLength(3);
  });

  it("keeps the last of two writes to the same special channel in one putWrites call, like the stock saver", async () => {
    const config = { configurable: { thread_id: "special-twice", checkpoint_ns: "" } };
    for (const [saver, thread] of [
      [batched, "special-twice"],
      [stock, "special-twice-stock"],
    ] as const) {
      const at = await saver.put(
        { configurable: { ...config.configurable, thread_id: thread } },
        { ...emptyCheckpoint(), id: "1ef0-0001", ts: "2026-12-04T10:00:00.000Z" },
        { source: "loop", step: 0, parents: {} },
        {},
      );
      await saver.putWrites(
        at,
        [
          ["__interrupt__", [{ value: "first" }]],
          ["__interrupt__", [{ value: "second" }]],
          ["__resume__", "yes"],
        ],
        "task-gate",
      );
    }
    const mine = await batched.getTuple({ configurable: { thread_id: "special-twice", checkpoint_ns: "" } });
    const theirs = await stock.getTuple({ configurable: { thread_id: "special-twice-stock", checkpoint_ns: "" } });
    expect(mine?.pendingWrites).toEqual(
      expect.arrayContaining([
        ["task-gate", "__interrupt__", [{ value: "second" }]],
        ["task-gate", "__resume__", "yes"],
      ]),
    );
    expect(mine?.pendingWrites).toEqual(theirs?.pendingWrites);
  });
});
