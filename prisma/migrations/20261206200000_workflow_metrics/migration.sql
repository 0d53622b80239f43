-- Workflow metrics (GraphQL Workflow.metrics): what each step cost by model, and its cache hits,
-- kept on the step row so the metrics page aggregates run_steps instead of reading event payloads.
ALTER TABLE "run_steps" ADD COLUMN "model" TEXT;
ALTER TABLE "run_steps" ADD COLUMN "cached" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "run_steps" ADD COLUMN "saved_cost_cents" DECIMAL(24,12);

-- Steps finished before this migration: their model and cache hit from their own trace events.
UPDATE "run_steps" s
SET "model" = e."payload"->>'provider' || '/' || (e."payload"->>'model')
FROM (
  SELECT DISTINCT ON ("step_id") "step_id", "payload"
  FROM "trace_events"
  WHERE "kind" IN ('llm.response', 'cache.hit') AND "step_id" IS NOT NULL
  ORDER BY "step_id", "seq" DESC
) e
WHERE e."step_id" = s."id";

UPDATE "run_steps" s
SET "cached" = true,
    "saved_cost_cents" = NULLIF(e."payload"->>'savedCostCents', '')::DECIMAL(24,12)
FROM "trace_events" e
WHERE e."step_id" = s."id" AND e."kind" = 'cache.hit';

-- Retry and fallback rates count the steps that have such events: a partial index keeps that to
-- the few rows involved instead of every event of every run in the range.
CREATE INDEX "trace_events_retry_fallback_idx" ON "trace_events"("run_id", "kind", "step_id")
  WHERE "kind" IN ('retry', 'fallback');

