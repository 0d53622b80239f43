-- FlowTrace initial schema (spec §4 + llm_cache).
-- Written in the shape `prisma migrate diff` produces; server/src/db/schema-drift.integration.test.ts
-- checks it against prisma/schema.prisma.

-- CreateEnum
CREATE TYPE "run_status" AS ENUM ('queued', 'running', 'succeeded', 'failed', 'canceled');

-- CreateEnum
CREATE TYPE "step_status" AS ENUM ('queued', 'running', 'succeeded', 'failed', 'skipped', 'canceled');

-- CreateEnum
CREATE TYPE "node_type" AS ENUM ('llm', 'tool', 'router');

-- CreateTable
CREATE TABLE "workflows" (
    "id" UUID NOT NULL,
    "owner_id" TEXT,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "graph_json" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "workflows_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "workflow_runs" (
    "id" UUID NOT NULL,
    "workflow_id" UUID NOT NULL,
    "triggered_by" TEXT,
    "status" "run_status" NOT NULL DEFAULT 'queued',
    "input_vars" JSONB NOT NULL DEFAULT '{}',
    "graph_snapshot" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "total_tokens" INTEGER NOT NULL DEFAULT 0,
    "total_cost_cents" DECIMAL(20,8) NOT NULL DEFAULT 0,
    "total_latency_ms" INTEGER NOT NULL DEFAULT 0,
    "error_summary" TEXT,

    CONSTRAINT "workflow_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "run_steps" (
    "id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "node_id" TEXT NOT NULL,
    "node_type" "node_type" NOT NULL,
    "status" "step_status" NOT NULL DEFAULT 'queued',
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "latency_ms" INTEGER,
    "tokens_input" INTEGER NOT NULL DEFAULT 0,
    "tokens_output" INTEGER NOT NULL DEFAULT 0,
    "cost_cents" DECIMAL(20,8),
    "error" TEXT,

    CONSTRAINT "run_steps_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "trace_events" (
    "id" BIGSERIAL NOT NULL,
    "run_id" UUID NOT NULL,
    "step_id" UUID,
    "seq" INTEGER NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "trace_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "provider_bindings" (
    "id" UUID NOT NULL,
    "owner_id" TEXT,
    "workflow_id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "temperature" DOUBLE PRECISION,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "provider_bindings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "llm_cache" (
    "key_hash" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "response" JSONB NOT NULL,
    "usage" JSONB NOT NULL,
    "cost_cents" DECIMAL(20,8),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),
    "hit_count" INTEGER NOT NULL DEFAULT 0,
    "last_hit_at" TIMESTAMPTZ(3),

    CONSTRAINT "llm_cache_pkey" PRIMARY KEY ("key_hash")
);

-- CreateIndex
CREATE INDEX "workflows_owner_id_idx" ON "workflows"("owner_id");

-- CreateIndex
CREATE INDEX "workflows_created_at_idx" ON "workflows"("created_at");

-- CreateIndex
CREATE INDEX "workflow_runs_workflow_id_idx" ON "workflow_runs"("workflow_id");

-- CreateIndex
CREATE INDEX "workflow_runs_workflow_id_created_at_idx" ON "workflow_runs"("workflow_id", "created_at");

-- CreateIndex
CREATE INDEX "workflow_runs_status_idx" ON "workflow_runs"("status");

-- CreateIndex
CREATE INDEX "run_steps_run_id_idx" ON "run_steps"("run_id");

-- CreateIndex
CREATE UNIQUE INDEX "run_steps_run_id_node_id_key" ON "run_steps"("run_id", "node_id");

-- CreateIndex
CREATE INDEX "trace_events_run_id_idx" ON "trace_events"("run_id");

-- CreateIndex
CREATE INDEX "trace_events_step_id_idx" ON "trace_events"("step_id");

-- CreateIndex
CREATE UNIQUE INDEX "trace_events_run_id_seq_key" ON "trace_events"("run_id", "seq");

-- CreateIndex
CREATE INDEX "provider_bindings_workflow_id_idx" ON "provider_bindings"("workflow_id");

-- CreateIndex
CREATE UNIQUE INDEX "provider_bindings_workflow_id_provider_key" ON "provider_bindings"("workflow_id", "provider");

-- CreateIndex
CREATE INDEX "llm_cache_expires_at_idx" ON "llm_cache"("expires_at");

-- CreateIndex
CREATE INDEX "llm_cache_provider_model_idx" ON "llm_cache"("provider", "model");

-- AddForeignKey
ALTER TABLE "workflow_runs" ADD CONSTRAINT "workflow_runs_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflows"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_steps" ADD CONSTRAINT "run_steps_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "workflow_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trace_events" ADD CONSTRAINT "trace_events_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "workflow_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trace_events" ADD CONSTRAINT "trace_events_step_id_fkey" FOREIGN KEY ("step_id") REFERENCES "run_steps"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "provider_bindings" ADD CONSTRAINT "provider_bindings_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflows"("id") ON DELETE CASCADE ON UPDATE CASCADE;
