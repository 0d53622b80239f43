-- W3C trace context: a run started with a `traceparent` (and `tracestate`) is a child of the caller's
-- trace; every process that executes it exports its spans under that trace.
ALTER TABLE "workflow_runs" ADD COLUMN "trace_parent" TEXT;
ALTER TABLE "workflow_runs" ADD COLUMN "trace_state" TEXT;
