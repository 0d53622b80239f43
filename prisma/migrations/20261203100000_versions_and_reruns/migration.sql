-- Workflow versions (every create and every save that changes graph_json), the version each run
-- ran, and re-runs: a run's parent, the node it re-ran from, its plan, what reusing saved, and which
-- steps were reused from which source step.
ALTER TABLE "workflows" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1;

CREATE TABLE "workflow_versions" (
    "id" UUID NOT NULL,
    "workflow_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "graph_json" JSONB NOT NULL,
    "message" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "workflow_versions_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "workflow_versions_workflow_id_version_key" ON "workflow_versions"("workflow_id", "version");

ALTER TABLE "workflow_versions" ADD CONSTRAINT "workflow_versions_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflows"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Existing workflows: their current document is version 1.
INSERT INTO "workflow_versions" ("id", "workflow_id", "version", "graph_json", "created_at")
SELECT gen_random_uuid(), "id", 1, "graph_json", "updated_at" FROM "workflows";

ALTER TABLE "workflow_runs" ADD COLUMN "workflow_version" INTEGER;
ALTER TABLE "workflow_runs" ADD COLUMN "parent_run_id" UUID;
ALTER TABLE "workflow_runs" ADD COLUMN "rerun_from_node" TEXT;
ALTER TABLE "workflow_runs" ADD COLUMN "rerun_plan" JSONB;
ALTER TABLE "workflow_runs" ADD COLUMN "saved_cost_cents" DECIMAL(24,12) NOT NULL DEFAULT 0;

CREATE INDEX "workflow_runs_parent_run_id_idx" ON "workflow_runs"("parent_run_id");

ALTER TABLE "workflow_runs" ADD CONSTRAINT "workflow_runs_parent_run_id_fkey" FOREIGN KEY ("parent_run_id") REFERENCES "workflow_runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

ALTER TABLE "run_steps" ADD COLUMN "reused" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "run_steps" ADD COLUMN "source_step_id" UUID;
