/**
 * The trace read as the SSE route sends it: each event's `data` JSON (`{seq, ts, kind, step_id,
 * payload}`, the spec's event shape) built by PostgreSQL for stored pages, so a replay of 10,000
 * events costs one text column per row instead of a decoded row, an object and a JSON.stringify.
 * Live events use the transport's own serialiser. Same values either way (a test parses both);
 * the stored payload's spacing is PostgreSQL's.
 */
import type { PrismaClient } from "../db/prisma.ts";
import type { TraceEvent } from "../domain/trace/events.ts";
import type { TraceForm, TraceItem } from "./reader.ts";

export interface EventJson extends TraceItem {
  /** The event as one line of JSON. */
  data: string;
}

async function storedJson(prisma: PrismaClient, runId: string, afterSeq: number, limit: number) {
  // The JSON is built over the page only: with the freshly written rows' statistics not analysed
  // yet, the planner sorts every remaining row of the run, and would build their JSON first.
  return prisma.$queryRaw<EventJson[]>`
    SELECT seq, kind, json_build_object(
        'seq', seq,
        'ts', to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'kind', kind,
        'step_id', step_id,
        'payload', payload
      )::text AS data
    FROM (
      SELECT seq, ts, kind, step_id, payload FROM trace_events
      WHERE run_id = ${runId}::uuid AND seq > ${afterSeq}::int
      ORDER BY seq
      LIMIT ${limit}::int
    ) AS page
    ORDER BY seq`;
}

/** `serialize`: the transport's JSON of a live event (the same shape). */
export function eventJson(serialize: (event: TraceEvent) => string): TraceForm<EventJson> {
  return {
    stored: storedJson,
    live: (event) => ({ seq: event.seq, kind: event.kind, data: serialize(event) }),
  };
}
