-- Approvals of three kinds: a gate (an approval node), a tool call of an agent that needs a person
-- (its arguments, editable), and an agent budget that ran out (extend it, or stop). A node may now
-- hold several approvals in one run: each has a key unique within the run (the node id for a gate).
ALTER TABLE "approvals" ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'gate';
ALTER TABLE "approvals" ADD COLUMN "approval_key" TEXT;
UPDATE "approvals" SET "approval_key" = "node_id";
ALTER TABLE "approvals" ALTER COLUMN "approval_key" SET NOT NULL;
ALTER TABLE "approvals" ADD COLUMN "tool" TEXT;
ALTER TABLE "approvals" ADD COLUMN "args" JSONB;
ALTER TABLE "approvals" ADD COLUMN "decided_args" JSONB;
ALTER TABLE "approvals" ADD COLUMN "spent_cents" DECIMAL(24,12);
ALTER TABLE "approvals" ADD COLUMN "limit_cents" DECIMAL(24,12);
ALTER TABLE "approvals" ADD COLUMN "extend_cents" DECIMAL(24,12);
DROP INDEX "approvals_run_id_node_id_key";
CREATE UNIQUE INDEX "approvals_run_id_approval_key_key" ON "approvals"("run_id", "approval_key");
CREATE INDEX "approvals_run_id_node_id_idx" ON "approvals"("run_id", "node_id");
