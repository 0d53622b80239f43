/**
 * LangGraph's PostgreSQL checkpointer, in its own schema, on a pool whose errors never crash the
 * process — with its two hot writes batched.
 *
 * LangGraph saves a checkpoint (`put`) and each task's writes (`putWrites`) after every superstep.
 * The stock PostgresSaver does each as a transaction of one INSERT per channel blob or per write:
 * BEGIN, n × INSERT, COMMIT — about 14 round trips per step of a linear run, the largest share of
 * the executor's database traffic. Here each is one statement (a data-modifying CTE / a multi-row
 * INSERT from arrays), atomic on its own, with the same rows, the same conflict rules and the same
 * serialisation (the saver's own `_dump*` helpers), so reading checkpoints is unchanged.
 */
import type { RunnableConfig } from "@langchain/core/runnables";
import {
  type ChannelVersions,
  type Checkpoint,
  type CheckpointMetadata,
  type PendingWrite,
  WRITES_IDX_MAP,
} from "@langchain/langgraph-checkpoint";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import type pg from "pg";

export const CHECKPOINT_SCHEMA = "langgraph";

const table = (name: string) => `"${CHECKPOINT_SCHEMA}".${name}`;

const PUT_SQL = `
WITH blobs AS (
  INSERT INTO ${table("checkpoint_blobs")} (thread_id, checkpoint_ns, channel, version, type, blob)
  SELECT $1, $2, b.channel, b.version, b.type, b.blob
  FROM unnest($3::text[], $4::text[], $5::text[], $6::bytea[]) AS b(channel, version, type, blob)
  ON CONFLICT (thread_id, checkpoint_ns, channel, version) DO NOTHING
)
INSERT INTO ${table("checkpoints")} (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint, metadata)
VALUES ($1, $2, $7, $8, $9, $10)
ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id)
DO UPDATE SET checkpoint = EXCLUDED.checkpoint, metadata = EXCLUDED.metadata`;

const writesSql = (onConflict: string) => `
INSERT INTO ${table("checkpoint_writes")} (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, blob)
SELECT $1, $2, $3, $4, w.idx, w.channel, w.type, w.blob
FROM unnest($5::int[], $6::text[], $7::text[], $8::bytea[]) AS w(idx, channel, type, blob)
ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id, task_id, idx) ${onConflict}`;

// Special channels (errors, interrupts) overwrite; ordinary task writes keep the first.
const UPSERT_WRITES_SQL = writesSql(
  "DO UPDATE SET channel = EXCLUDED.channel, type = EXCLUDED.type, blob = EXCLUDED.blob",
);
const INSERT_WRITES_SQL = writesSql("DO NOTHING");

const toBuffer = (bytes: Uint8Array | undefined) =>
  bytes === undefined ? null : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * Special-channel writes share one index per channel (`__interrupt__` is always -3): the stock
 * saver upserts them one by one, so the last of several in one call wins. One multi-row upsert
 * cannot touch a row twice ("ON CONFLICT DO UPDATE command cannot affect row a second time"), so
 * keep the last row per index — the same end state.
 */
function lastPerIndex<T extends unknown[]>(rows: T[]): T[] {
  return [...new Map(rows.map((r) => [r[4], r] as const)).values()];
}

export class BatchedPostgresSaver extends PostgresSaver {
  constructor(private readonly db: pg.Pool) {
    super(db, undefined, { schema: CHECKPOINT_SCHEMA });
  }

  override async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    newVersions: ChannelVersions,
  ): Promise<RunnableConfig> {
    if (config.configurable === undefined) throw new Error(`Missing "configurable" field in "config" param`);
    const { thread_id, checkpoint_ns = "", checkpoint_id } = config.configurable;
    const [blobs, serializedMetadata] = await Promise.all([
      this._dumpBlobs(thread_id, checkpoint_ns, checkpoint.channel_values, newVersions),
      this._dumpMetadata(metadata),
    ]);
    await this.db.query(PUT_SQL, [
      thread_id,
      checkpoint_ns,
      blobs.map((b) => b[2]),
      blobs.map((b) => b[3]),
      blobs.map((b) => b[4]),
      blobs.map((b) => toBuffer(b[5])),
      checkpoint.id,
      checkpoint_id ?? null,
      this._dumpCheckpoint(checkpoint),
      serializedMetadata,
    ]);
    return { configurable: { thread_id, checkpoint_ns, checkpoint_id: checkpoint.id } };
  }

  override async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string): Promise<void> {
    if (writes.length === 0) return;
    const { thread_id, checkpoint_ns = "", checkpoint_id } = config.configurable ?? {};
    const dumped = await this._dumpWrites(thread_id, checkpoint_ns, checkpoint_id, taskId, writes);
    const special = writes.every((w) => w[0] in WRITES_IDX_MAP);
    const rows = special ? lastPerIndex(dumped) : dumped;
    await this.db.query(special ? UPSERT_WRITES_SQL : INSERT_WRITES_SQL, [
      thread_id,
      checkpoint_ns,
      checkpoint_id,
      taskId,
      rows.map((r) => r[4]),
      rows.map((r) => r[5]),
      rows.map((r) => r[6]),
      rows.map((r) => toBuffer(r[7])),
    ]);
  }
}

/**
 * The checkpointer on a pool owned by the caller (see Database.pool). Several workers starting at
 * once race on LangGraph's own schema migrations (`checkpoint_migrations` primary key): the loser
 * retries and finds them applied.
 */
export async function createCheckpointer(pool: pg.Pool) {
  const saver = new BatchedPostgresSaver(pool);
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
