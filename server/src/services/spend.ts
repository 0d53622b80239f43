/**
 * Who spent what in a project: exact sums (decimal cents as text, summed by PostgreSQL, never as
 * floats) of its runs grouped by end user, workflow or tag, or of its LLM steps grouped by model,
 * over runs created in [from, to). The numbers are the runs' own totals: the sum for an end user is
 * the sum of that user's runs. A run with several tags counts once under each.
 */
import type { SpendGroup, SpendGroupJson, SpendJson } from "@flowtrace/contract/spend";
import { MODEL_CALLING_TYPES } from "@flowtrace/contract/workflow";
import type { PrismaClient } from "../db/prisma.ts";

type Row = { key: string | null; label: string | null; cost: string; runs: number; tokens: number; unpriced: number };

const RUNS_IN_RANGE = `FROM workflow_runs r JOIN workflows w ON w.id = r.workflow_id
  WHERE w.project_id = $1::uuid AND r.created_at >= $2 AND r.created_at < $3`;

const BY_RUN_FIELD: Record<Exclude<SpendGroup, "model">, { select: string; from: string }> = {
  end_user: { select: "r.end_user_id AS key, r.end_user_id AS label", from: RUNS_IN_RANGE },
  workflow: { select: "w.id::text AS key, max(w.name) AS label", from: RUNS_IN_RANGE },
  tag: {
    select: "t.tag AS key, t.tag AS label",
    from: RUNS_IN_RANGE.replace(
      "WHERE",
      "CROSS JOIN LATERAL unnest(CASE WHEN cardinality(r.tags) = 0 THEN ARRAY[NULL::text] ELSE r.tags END) AS t(tag) WHERE",
    ),
  },
};

function runGroupSql(group: Exclude<SpendGroup, "model">): string {
  const { select, from } = BY_RUN_FIELD[group];
  return `SELECT ${select}, coalesce(sum(r.total_cost_cents), 0)::text AS cost, count(*)::int AS runs,
    coalesce(sum(r.total_tokens), 0)::int AS tokens, coalesce(sum(r.unpriced_steps), 0)::int AS unpriced
    ${from} GROUP BY 1 ORDER BY sum(r.total_cost_cents) DESC NULLS LAST, 1 LIMIT 1000`;
}

const MODEL_SQL = `SELECT s.model AS key, s.model AS label, coalesce(sum(s.cost_cents), 0)::text AS cost,
    count(DISTINCT s.run_id)::int AS runs, coalesce(sum(s.tokens_input + s.tokens_output), 0)::int AS tokens,
    (count(*) FILTER (WHERE s.cost_cents IS NULL AND s.status = 'succeeded'))::int AS unpriced
  FROM run_steps s JOIN workflow_runs r ON r.id = s.run_id JOIN workflows w ON w.id = r.workflow_id
  WHERE w.project_id = $1::uuid AND r.created_at >= $2 AND r.created_at < $3
    AND s.node_type::text = ANY($4::text[]) AND s.model IS NOT NULL
  GROUP BY 1 ORDER BY sum(s.cost_cents) DESC NULLS LAST, 1 LIMIT 1000`;

const groupJson = (r: Row): SpendGroupJson => ({
  key: r.key,
  label: r.label ?? "(none)",
  cost_cents: r.cost,
  runs: r.runs,
  tokens: r.tokens,
  cost_complete: r.unpriced === 0,
  unpriced_steps: r.unpriced,
});

export async function projectSpend(
  prisma: PrismaClient,
  projectId: string,
  query: { groupBy: SpendGroup; from: Date; to: Date },
): Promise<SpendJson> {
  const { groupBy, from, to } = query;
  const rows =
    groupBy === "model"
      ? await prisma.$queryRawUnsafe<Row[]>(MODEL_SQL, projectId, from, to, [...MODEL_CALLING_TYPES])
      : await prisma.$queryRawUnsafe<Row[]>(runGroupSql(groupBy), projectId, from, to);
  return { group_by: groupBy, from: from.toISOString(), to: to.toISOString(), items: rows.map(groupJson) };
}

/** The first instant of the calendar month (UTC) `at` is in, and its name (2026-12). */
export function monthOf(at: Date): { start: Date; name: string } {
  const start = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  return { start, name: start.toISOString().slice(0, 7) };
}

/**
 * What a project has spent this month so far: every priced step of its runs that finished this
 * month, runs still going included (their totals are only summed when they end).
 */
export async function monthSpend(prisma: PrismaClient, projectId: string, now = new Date()) {
  const { start } = monthOf(now);
  const [row] = await prisma.$queryRawUnsafe<{ cost: string; unpriced: number }[]>(
    `SELECT coalesce(sum(s.cost_cents), 0)::text AS cost,
       (count(*) FILTER (WHERE s.cost_cents IS NULL AND s.status = 'succeeded' AND s.node_type::text = ANY($3::text[])))::int AS unpriced
     FROM run_steps s JOIN workflow_runs r ON r.id = s.run_id JOIN workflows w ON w.id = r.workflow_id
     WHERE w.project_id = $1::uuid AND s.finished_at >= $2`,
    projectId,
    start,
    [...MODEL_CALLING_TYPES],
  );
  return { cents: row?.cost ?? "0", complete: (row?.unpriced ?? 0) === 0 };
}
