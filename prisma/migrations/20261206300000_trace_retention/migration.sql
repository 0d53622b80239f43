-- Trace retention (FLOWTRACE_TRACE_RETENTION_DAYS): when a run's events were deleted (or archived);
-- the run row, its steps and totals stay. The partial index finds the runs still to prune.
ALTER TABLE "workflow_runs" ADD COLUMN "trace_pruned_at" TIMESTAMPTZ(3);
CREATE INDEX "workflow_runs_finished_at_idx" ON "workflow_runs"("finished_at") WHERE "trace_pruned_at" IS NULL;
