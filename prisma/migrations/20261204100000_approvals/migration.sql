-- Human approval nodes: the `approval` node type, `waiting` runs and steps, the time a run spent
-- waiting (its timeout counts active time), the queue job of a resumed run, and the approvals.
ALTER TYPE "run_status" ADD VALUE 'waiting' BEFORE 'succeeded';
ALTER TYPE "step_status" ADD VALUE 'waiting';
ALTER TYPE "node_type" ADD VALUE 'approval';

ALTER TABLE "workflow_runs" ADD COLUMN "waited_ms" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "workflow_runs" ADD COLUMN "job_id" TEXT;

CREATE TYPE "approval_status" AS ENUM ('pending', 'approved', 'rejected', 'timed_out', 'canceled');

CREATE TABLE "approvals" (
    "id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "step_id" UUID NOT NULL,
    "node_id" TEXT NOT NULL,
    "status" "approval_status" NOT NULL DEFAULT 'pending',
    "message" TEXT NOT NULL,
    "inputs" JSONB NOT NULL DEFAULT '{}',
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deadline" TIMESTAMPTZ(3),
    "on_timeout" TEXT NOT NULL DEFAULT 'fail',
    "decided_at" TIMESTAMPTZ(3),
    "decided_by" TEXT,
    "comment" TEXT,

    CONSTRAINT "approvals_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "approvals_run_id_node_id_key" ON "approvals"("run_id", "node_id");
CREATE INDEX "approvals_status_deadline_idx" ON "approvals"("status", "deadline");

ALTER TABLE "approvals" ADD CONSTRAINT "approvals_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "workflow_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
