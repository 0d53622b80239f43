/**
 * The migrations are written by hand (Prisma's schema engine cannot run offline), so this test
 * checks them against prisma/schema.prisma: every model's table, every scalar field's column with
 * its nullability and type family, every enum, and every @@index/@@unique.
 */
import { readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/helpers/db.ts";

interface Field {
  name: string;
  column: string;
  type: string;
  optional: boolean;
  /** A list of scalars (`String[]`): a PostgreSQL array column. */
  list: boolean;
  relation: boolean;
  /** [precision, scale] from @db.Decimal(p, s). */
  decimal?: [number, number];
}
interface Model {
  name: string;
  table: string;
  fields: Field[];
  indexes: { columns: string[]; unique: boolean; method: string }[];
}

const schema = readFileSync(new URL("../../../prisma/schema.prisma", import.meta.url), "utf8");
const enums = new Map(
  [...schema.matchAll(/enum (\w+) \{([\s\S]*?)\n\}/g)].map((m) => {
    const body = m[2] ?? "";
    const values = body
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => /^\w+$/.test(l));
    const mapped = body.match(/@@map\("([^"]+)"\)/)?.[1] ?? m[1];
    return [m[1] ?? "", { db: mapped ?? "", values }];
  }),
);
const modelNames = new Set([...schema.matchAll(/model (\w+) \{/g)].map((m) => m[1]));

function parseModels(): Model[] {
  return [...schema.matchAll(/model (\w+) \{([\s\S]*?)\n\}/g)].map((m) => {
    const body = (m[2] ?? "").split("\n").map((l) => l.replace(/\/\/.*$/, "").trim());
    const fields: Field[] = [];
    for (const line of body) {
      const f = line.match(/^(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/);
      if (!f || line.startsWith("@@")) continue;
      const [, name = "", type = "", list, optional, attrs = ""] = f;
      // A list of a model is a relation; a list of a scalar (`scopes String[]`) is a column.
      const relation = modelNames.has(type);
      const dec = attrs.match(/@db\.Decimal\((\d+),\s*(\d+)\)/);
      fields.push({
        name,
        column: attrs.match(/@map\("([^"]+)"\)/)?.[1] ?? name,
        type,
        optional: Boolean(optional),
        list: Boolean(list),
        relation,
        ...(dec ? { decimal: [Number(dec[1]), Number(dec[2])] as [number, number] } : {}),
      });
    }
    const col = (field: string) => fields.find((x) => x.name === field)?.column ?? field;
    const indexes = body
      .map((l) => l.match(/^@@(index|unique)\(\[([^\]]+)\](.*type:\s*(\w+))?/))
      .filter((x): x is RegExpMatchArray => x !== null)
      .map((x) => ({
        unique: x[1] === "unique",
        columns: (x[2] ?? "").split(",").map((s) => col(s.trim())),
        method: (x[4] ?? "btree").toLowerCase(),
      }));
    const table = body.map((l) => l.match(/^@@map\("([^"]+)"\)/)?.[1]).find(Boolean) ?? m[1] ?? "";
    return { name: m[1] ?? "", table, fields, indexes };
  });
}

const typeFamily: Record<string, string[]> = {
  String: ["text", "uuid"],
  Int: ["integer"],
  BigInt: ["bigint"],
  Float: ["double precision"],
  Decimal: ["numeric"],
  DateTime: ["timestamp with time zone"],
  Json: ["jsonb"],
  Boolean: ["boolean"],
};

/** An array column's element type, from its udt_name (`_text` is text[]). */
const udtFamily: Record<string, string> = {
  _text: "text",
  _uuid: "uuid",
  _int4: "integer",
  _int8: "bigint",
  _jsonb: "jsonb",
  _bool: "boolean",
};

let db: TestDatabase;
let client: pg.Client;
beforeAll(async () => {
  db = await createTestDatabase();
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});
afterAll(async () => {
  await client.end();
  await db.drop();
});

describe("migrations match prisma/schema.prisma", () => {
  const models = parseModels();

  it("parsed the schema", () => {
    expect(models.map((m) => m.table).sort()).toEqual([
      "alert_deliveries",
      "alerts",
      "api_keys",
      "approvals",
      "audit_log",
      "dataset_items",
      "datasets",
      "experiment_items",
      "experiments",
      "invitations",
      "llm_cache",
      "mcp_servers",
      "memberships",
      "project_budgets",
      "projects",
      "provider_bindings",
      "run_steps",
      "secrets",
      "sessions",
      "trace_events",
      "users",
      "workflow_runs",
      "workflow_versions",
      "workflows",
    ]);
  });

  it.each(models.map((m) => [m.table, m]))("table %s has the model's columns", async (_table, model) => {
    const { rows } = await client.query<{
      column_name: string;
      data_type: string;
      is_nullable: string;
      udt_name: string;
      numeric_precision: number | null;
      numeric_scale: number | null;
    }>(
      "SELECT column_name, data_type, is_nullable, udt_name, numeric_precision, numeric_scale FROM information_schema.columns WHERE table_schema='public' AND table_name=$1",
      [model.table],
    );
    const scalar = model.fields.filter((f) => !f.relation);
    expect(rows.map((r) => r.column_name).sort()).toEqual(scalar.map((f) => f.column).sort());
    for (const f of scalar) {
      const row = rows.find((r) => r.column_name === f.column);
      expect(row?.is_nullable, `${model.table}.${f.column} nullability`).toBe(f.optional ? "YES" : "NO");
      const e = enums.get(f.type);
      if (f.list) {
        expect(row?.data_type, `${model.table}.${f.column} list`).toBe("ARRAY");
        expect(typeFamily[f.type], `${model.table}.${f.column} element type`).toContain(udtFamily[row?.udt_name ?? ""]);
      } else if (e) expect(row?.udt_name, `${model.table}.${f.column} enum`).toBe(e.db);
      else expect(typeFamily[f.type], `${model.table}.${f.column} type`).toContain(row?.data_type);
      if (f.decimal) {
        expect([row?.numeric_precision, row?.numeric_scale], `${model.table}.${f.column} precision`).toEqual(f.decimal);
      }
    }
  });

  it.each(models.map((m) => [m.table, m]))("table %s has the model's indexes", async (_table, model) => {
    const { rows } = await client.query<{ indexdef: string }>(
      "SELECT indexdef FROM pg_indexes WHERE schemaname='public' AND tablename=$1",
      [model.table],
    );
    for (const idx of model.indexes) {
      const cols = idx.columns.map((c) => `"?${c}"?`).join(", ");
      const pattern = new RegExp(
        `CREATE ${idx.unique ? "UNIQUE " : ""}INDEX \\S+ ON public\\.${model.table} USING ${idx.method} \\(${cols}\\)`,
      );
      expect(
        rows.some((r) => pattern.test(r.indexdef)),
        `${model.table} ${JSON.stringify(idx)}`,
      ).toBe(true);
    }
  });

  it("has every enum with the schema's values", async () => {
    for (const [, e] of enums) {
      const { rows } = await client.query<{ v: string }>(
        "SELECT e.enumlabel AS v FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = $1 ORDER BY e.enumsortorder",
        [e.db],
      );
      expect(rows.map((r) => r.v)).toEqual(e.values);
    }
  });
});
