-- A project's MCP servers (their tools usable as tool nodes and agent tools). `env` and `headers`
-- may hold credentials: they are stored encrypted (like secrets) and never answered back.
CREATE TABLE "mcp_servers" (
    "id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "transport" TEXT NOT NULL,
    "command" TEXT,
    "args" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "url" TEXT,
    "env_keys" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "header_keys" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "sealed_config" TEXT,
    "sealed_key_id" TEXT,
    "tools" JSONB,
    "tools_at" TIMESTAMPTZ(3),
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "mcp_servers_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "mcp_servers_project_id_name_key" ON "mcp_servers"("project_id", "name");
ALTER TABLE "mcp_servers" ADD CONSTRAINT "mcp_servers_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
