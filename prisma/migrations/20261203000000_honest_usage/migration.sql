-- Honest numbers: where a step's token counts come from (a provider that reports no usage has its
-- tokens counted by FlowTrace: "estimated"), its reasoning tokens, and whether a run's total cost
-- covers every step (a step without a price makes the total a lower bound).
ALTER TABLE "run_steps" ADD COLUMN "tokens_reasoning" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "run_steps" ADD COLUMN "usage_source" TEXT NOT NULL DEFAULT 'provider';
ALTER TABLE "workflow_runs" ADD COLUMN "cost_complete" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "workflow_runs" ADD COLUMN "unpriced_steps" INTEGER NOT NULL DEFAULT 0;
