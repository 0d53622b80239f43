-- Sub-workflows: a `workflow` node runs another workflow as a run of its own, linked to the step
-- that started it (parent_run_id is the calling run; a re-run's parent_step_id stays null).
ALTER TYPE "node_type" ADD VALUE IF NOT EXISTS 'workflow';
ALTER TABLE "workflow_runs" ADD COLUMN "parent_step_id" UUID;
CREATE INDEX "workflow_runs_parent_step_id_idx" ON "workflow_runs"("parent_step_id");
