-- A project's secrets: values encrypted with AES-256-GCM under FLOWTRACE_SECRET_KEY (the key's id is
-- kept with each value, so a rotated key can still read older ones), referenced as {{secret.NAME}}.
CREATE TABLE "secrets" (
    "id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "ciphertext" TEXT NOT NULL,
    "key_id" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "updated_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "secrets_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "secrets_project_id_name_key" ON "secrets"("project_id", "name");
ALTER TABLE "secrets" ADD CONSTRAINT "secrets_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
