-- A workflow may be offered to MCP clients as a tool (POST /mcp), and runs say what started them.
ALTER TABLE "workflows" ADD COLUMN "expose_as_tool" BOOLEAN NOT NULL DEFAULT false;
