-- Evaluations: datasets of inputs with expected answers, experiments that run a workflow version
-- over a dataset (each item an ordinary run), and each item's scores.
CREATE TABLE "datasets" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "datasets_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "datasets_created_at_idx" ON "datasets"("created_at");

CREATE TABLE "dataset_items" (
    "id" UUID NOT NULL,
    "dataset_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "input_vars" JSONB NOT NULL,
    "expected" JSONB,
    "metadata" JSONB,
    "source_run_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dataset_items_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "dataset_items_dataset_id_position_key" ON "dataset_items"("dataset_id", "position");
ALTER TABLE "dataset_items" ADD CONSTRAINT "dataset_items_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TYPE "experiment_status" AS ENUM ('queued', 'running', 'succeeded', 'failed', 'canceled');

CREATE TABLE "experiments" (
    "id" UUID NOT NULL,
    "workflow_id" UUID NOT NULL,
    "dataset_id" UUID,
    "name" TEXT NOT NULL,
    "status" "experiment_status" NOT NULL DEFAULT 'queued',
    "workflow_version" INTEGER NOT NULL,
    "graph_snapshot" JSONB NOT NULL,
    "scorers" JSONB NOT NULL,
    "concurrency" INTEGER NOT NULL,
    "error_summary" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "experiments_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "experiments_workflow_id_created_at_idx" ON "experiments"("workflow_id", "created_at");
CREATE INDEX "experiments_status_idx" ON "experiments"("status");
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflows"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "experiment_items" (
    "id" UUID NOT NULL,
    "experiment_id" UUID NOT NULL,
    "dataset_item_id" UUID,
    "position" INTEGER NOT NULL,
    "input_vars" JSONB NOT NULL,
    "expected" JSONB,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "run_id" UUID,
    "output" JSONB,
    "passed" BOOLEAN,
    "scores" JSONB,
    "judge_tokens" INTEGER NOT NULL DEFAULT 0,
    "judge_cost_cents" DECIMAL(24,12) NOT NULL DEFAULT 0,
    "judge_cost_complete" BOOLEAN NOT NULL DEFAULT true,
    "scored_at" TIMESTAMPTZ(3),

    CONSTRAINT "experiment_items_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "experiment_items_run_id_key" ON "experiment_items"("run_id");
CREATE UNIQUE INDEX "experiment_items_experiment_id_position_key" ON "experiment_items"("experiment_id", "position");
CREATE INDEX "experiment_items_experiment_id_status_idx" ON "experiment_items"("experiment_id", "status");
ALTER TABLE "experiment_items" ADD CONSTRAINT "experiment_items_experiment_id_fkey" FOREIGN KEY ("experiment_id") REFERENCES "experiments"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "experiment_items" ADD CONSTRAINT "experiment_items_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "workflow_runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;
