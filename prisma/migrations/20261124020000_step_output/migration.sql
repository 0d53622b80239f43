-- The full output of each finished step. Trace events keep at most 64 KiB per value (with an explicit
-- truncation marker); the complete value is always here.
ALTER TABLE "run_steps" ADD COLUMN "output" JSONB;
