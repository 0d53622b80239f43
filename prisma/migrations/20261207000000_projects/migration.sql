-- Projects: every workflow and dataset belongs to exactly one; versions, runs, steps, trace events,
-- approvals, experiments and items belong through their workflow or dataset (so a run can never sit
-- in another project than its workflow). Existing rows go into a project named `default` (also the
-- project of a new installation).
CREATE TABLE "projects" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "projects_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "projects_name_key" ON "projects"("name");
INSERT INTO "projects" ("name") VALUES ('default');

ALTER TABLE "workflows" ADD COLUMN "project_id" UUID;
UPDATE "workflows" SET "project_id" = (SELECT "id" FROM "projects" WHERE "name" = 'default');
ALTER TABLE "workflows" ALTER COLUMN "project_id" SET NOT NULL;
ALTER TABLE "workflows" ADD CONSTRAINT "workflows_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
CREATE INDEX "workflows_project_id_created_at_idx" ON "workflows"("project_id", "created_at");

ALTER TABLE "datasets" ADD COLUMN "project_id" UUID;
UPDATE "datasets" SET "project_id" = (SELECT "id" FROM "projects" WHERE "name" = 'default');
ALTER TABLE "datasets" ALTER COLUMN "project_id" SET NOT NULL;
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
CREATE INDEX "datasets_project_id_created_at_idx" ON "datasets"("project_id", "created_at");
