-- Costs are exact decimals of US cents with 12 fractional digits: one token at the smallest
-- representable price (0.000001 USD per 1M tokens) costs 0.0000000001 cent, which must not round away.

-- AlterTable
ALTER TABLE "workflow_runs" ALTER COLUMN "total_cost_cents" SET DATA TYPE DECIMAL(24,12);

-- AlterTable
ALTER TABLE "run_steps" ALTER COLUMN "cost_cents" SET DATA TYPE DECIMAL(24,12);

-- AlterTable
ALTER TABLE "llm_cache" ALTER COLUMN "cost_cents" SET DATA TYPE DECIMAL(24,12);
