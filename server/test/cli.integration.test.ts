/** The `flowtrace` command as a real process, against a real server and locally. */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SPEC_EXAMPLE } from "../src/domain/workflow/examples.ts";
import { createTestDatabase, type TestDatabase } from "./helpers/db.ts";
import { freePort, type Proc, ROOT, runNode, startApi } from "./helpers/process.ts";

let db: TestDatabase;
let server: Proc;
let base: string;
let dir: string;
let demos: { id: string; name: string }[];

const cli = (args: string[], env: Record<string, string> = {}) =>
  runNode([path.join(ROOT, "bin/flowtrace.mjs"), ...args], {
    cwd: dir,
    env: { FLOWTRACE_PUBLIC_URL: base, FLOWTRACE_SIMULATOR_LATENCY_MS: "0", ...env },
  });

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "flowtrace-cli-"));
  db = await createTestDatabase();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = startApi({ PORT: String(port), DATABASE_URL: db.url, FLOWTRACE_SIMULATOR_LATENCY_MS: "0" });
  await server.waitFor(/FlowTrace is ready at/);
  const res = await fetch(`${base}/api/workflows`);
  demos = ((await res.json()) as { items: { id: string; name: string }[] }).items;
});
afterAll(async () => {
  await server?.stop();
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe("flowtrace CLI", () => {
  it("finds the demo workflows seeded on first start", () => {
    expect(demos.map((d) => d.name).sort()).toEqual([
      "CSV → Analysis → Write-up",
      "Draft → Approve → Publish / Revise",
      "Research agent",
      "Research → Summarize → Decide → Deep",
    ]);
  });

  it("runs the CSV demo against the server with live step lines and a summary", async () => {
    const csv = demos.find((d) => d.name.startsWith("CSV")) as { id: string };
    const r = await cli(["run", csv.id, "--server", base]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(/^▶ run started · 4 nodes · simulated providers$/);
    for (const node of ["fetch", "parse", "analyse", "report"]) {
      expect(
        lines.some((l) => new RegExp(`^✓ ${node} (tool|llm)`).test(l)),
        node,
      ).toBe(true);
    }
    expect(r.stdout).toMatch(/✓ analyse llm openai\/gpt-4o-mini · \d+→\d+ tok · \$0\.\d+ · \d+(\.\d+)? m?s/);
    expect(r.stdout).toMatch(/^node +type +status +tokens in +tokens out +cost +latency$/m);
    expect(r.stdout).toMatch(/^✔ succeeded · [\d,]+ tokens · \$0\.\d+ · /m);
    expect(r.stdout.includes(String.fromCharCode(27))).toBe(false); // no ANSI colours when not on a terminal
  });

  it("prints newline-delimited JSON events with --json", async () => {
    const csv = demos.find((d) => d.name.startsWith("CSV")) as { id: string };
    const r = await cli(["run", csv.id, "--server", base, "--json"]);
    expect(r.code).toBe(0);
    const events = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { seq: number; kind: string });
    expect(Object.keys(events[0] ?? {})).toEqual(["seq", "ts", "kind", "step_id", "payload"]);
    expect(events[0]?.kind).toBe("run.started");
    expect(events.at(-1)?.kind).toBe("run.finished");
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.some((e) => e.kind === "cache.hit")).toBe(true); // the second run of the same input
  });

  it("validates files with paths and exit codes", async () => {
    await writeFile(path.join(dir, "good.json"), JSON.stringify(SPEC_EXAMPLE));
    await writeFile(path.join(dir, "bad.json"), JSON.stringify({ ...SPEC_EXAMPLE, entry: "nope" }));
    const good = await cli(["validate", "good.json"]);
    expect(good.code).toBe(0);
    expect(good.stdout).toBe("good.json: valid (4 nodes, 3 edges)\n");
    const bad = await cli(["validate", "bad.json"]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(
      "bad.json: entry: entry 'nope' is not a node id (nodes: ingest, summarize, decide, deep)",
    );
    expect((await cli(["validate", "missing.json"])).code).toBe(2);
    expect((await cli(["frobnicate"])).code).toBe(2);
  });

  it("exports canonical JSON, imports it back, and runs a file locally", async () => {
    const research = demos.find((d) => d.name === "Research → Summarize → Decide → Deep") as { id: string };
    const exported = await cli(["export", research.id, "--server", base]);
    expect(exported.code).toBe(0);
    const file = path.join(dir, "research.json");
    await writeFile(file, exported.stdout);
    expect(JSON.parse(await readFile(file, "utf8")).entry).toBe("ingest");
    const imported = await cli(["import", "research.json", "--server", base, "--name", "Imported"]);
    expect(imported.code).toBe(0);
    expect(imported.stdout.trim()).toMatch(/^[0-9a-f-]{36}$/);

    const local = await cli(["run", "research.json", "--json"]);
    expect(local.stderr).toBe("");
    expect(local.code).toBe(0);
    const kinds = local.stdout
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as { kind: string }).kind);
    expect(kinds).toContain("tool.response");
    expect(kinds.at(-1)).toBe("run.finished");
  });

  it("re-runs a run from a node with --set, and diffs the two runs", async () => {
    const csv = demos.find((d) => d.name.startsWith("CSV")) as { id: string };
    expect((await cli(["run", csv.id, "--server", base])).code).toBe(0);
    const runs = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ runs(first: 1, workflowId: "${csv.id}") { edges { node { id } } } }` }),
    });
    const parent = ((await runs.json()) as { data: { runs: { edges: { node: { id: string } }[] } } }).data.runs.edges[0]
      ?.node.id as string;
    const r = await cli(["rerun", parent, "--from", "analyse", "--set", "analyse.temperature=0.5", "--server", base]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^re-run [0-9a-f-]{36} of [0-9a-f-]{36}: reusing fetch, parse$/m);
    expect(r.stdout).toMatch(/^ {2}executes analyse: re-run from here$/m);
    expect(r.stdout).toMatch(/^↺ fetch reused from run [0-9a-f]{8} · no call · \$0$/m);
    const child = /^re-run ([0-9a-f-]{36})/m.exec(r.stdout)?.[1] as string;
    const diff = await cli(["diff", parent, child, "--server", base]);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toMatch(/^analyse +succeeded .* config \(temperature\)/m);
    expect(diff.stdout).toMatch(/^fetch +succeeded .* reused$/m);
    const json = JSON.parse((await cli(["diff", parent, child, "--json", "--server", base])).stdout);
    expect(json.steps.find((s: { node_id: string }) => s.node_id === "analyse").config_diff).toEqual([
      expect.objectContaining({ path: "temperature", new: 0.5 }),
    ]);
    expect((await cli(["rerun", parent, "--set", "oops", "--server", base])).code).toBe(2);
  });

  it("follows a run to its approval, says how to decide, and `flowtrace approve` resumes it", async () => {
    const demo = demos.find((d) => d.name.startsWith("Draft")) as { id: string };
    const following = cli(["run", demo.id, "--server", base, "--input", "topic=cli launch"]);
    let runId = "";
    for (let i = 0; i < 400 && !runId; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const pending = await (await fetch(`${base}/api/approvals`)).json();
      runId = pending.approvals.find((a: { workflow_id: string }) => a.workflow_id === demo.id)?.run_id ?? "";
    }
    expect(runId).not.toBe("");
    const decided = await cli(["approve", runId, "approve", "--reject", "--comment", "too loud"]);
    expect(decided.stderr).toBe("");
    expect(decided.stdout).toBe(`rejected approve of run ${runId}; it resumes (queued)\n`);
    const r = await following;
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/⏸ approve waiting for approval \(until .+, then reject\): Publish this announcement\?/);
    expect(r.stdout).toContain(`decide with: flowtrace approve ${runId} approve [--reject]`);
    expect(r.stdout).toMatch(/⏵ approve: rejected by cli — "too loud"/);
    expect(r.stdout).toMatch(/^✓ revise llm/m);
    expect(r.stdout).toMatch(/^– publish skipped/m);
    const again = await cli(["approve", runId, "approve"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/409 the approval at approve was already decided \(rejected by cli\)/);
  });

  it("approves an agent's tool call by its approval id, with edited arguments", async () => {
    const graph = {
      version: "1",
      entry: "agent",
      nodes: [
        {
          id: "agent",
          type: "agent",
          name: "Agent",
          config: {
            provider: "openai",
            model: "gpt-4o-mini",
            prompt: 'Use transform upper "cli"',
            tools: [{ tool: "transform", requireApproval: true }],
          },
        },
      ],
      edges: [],
    };
    const headers = { "content-type": "application/json" };
    const wf = await (
      await fetch(`${base}/api/workflows`, {
        method: "POST",
        headers,
        body: JSON.stringify({ name: "cli agent", graph_json: graph }),
      })
    ).json();
    const started = await (
      await fetch(`${base}/api/workflows/${wf.id}/runs`, { method: "POST", headers, body: "{}" })
    ).json();
    let approvalId = "";
    for (let i = 0; i < 400 && !approvalId; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const pending = await (await fetch(`${base}/api/approvals?run_id=${started.runId}`)).json();
      approvalId = pending.approvals[0]?.id ?? "";
    }
    const bad = await cli(["approve", approvalId, "--args", "[1]"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--args expects a JSON object/);
    const decided = await cli(["approve", approvalId, "--args", '{"operation": "lower", "value": "CLI"}']);
    expect(decided.stderr).toBe("");
    expect(decided.stdout).toBe(`approved approval ${approvalId}; it resumes (queued)\n`);
    for (let i = 0; i < 400; i++) {
      const run = await (await fetch(`${base}/api/runs/${started.runId}`)).json();
      if (run.status === "succeeded") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const trace = await (await fetch(`${base}/api/runs/${started.runId}/trace`)).json();
    const result = trace.events.find((e: { kind: string }) => e.kind === "tool.response");
    expect(result.payload.output).toBe("cli");
  });

  it("eval is a CI gate: against a server with a CSV dataset, and locally with JSON Lines", async () => {
    const wf = {
      version: "1",
      entry: "a",
      nodes: [
        {
          id: "a",
          type: "llm",
          name: "A",
          config: { provider: "openai", model: "gpt-4o-mini" },
          inputs: { text: "{{input.topic}}" },
        },
      ],
      edges: [],
    };
    await writeFile(path.join(dir, "gate.json"), JSON.stringify(wf));
    await writeFile(path.join(dir, "gate.csv"), "topic,expected\ntides,tides\ncomets,comets\ncoral,zebra\n");
    const remote = await cli(["eval", "gate.json", "--dataset", "gate.csv", "--server", base, "--fail-under", "0.6"]);
    expect(remote.stderr).toBe("");
    expect(remote.code).toBe(0);
    expect(remote.stdout).toMatch(/pass rate {6}66\.7% \(2\/3 scored of 3\)/);
    expect(remote.stdout).toMatch(/#2 \{"topic":"coral"\} — contains: does not contain "zebra"/);
    expect(remote.stdout).toMatch(/^PASS: pass rate 66\.7% ≥ --fail-under 60\.0%$/m);

    const gated = await cli([
      "eval",
      "gate.json",
      "--dataset",
      "gate.csv",
      "--server",
      base,
      "--fail-under",
      "0.9",
      "--json",
    ]);
    expect(gated.code).toBe(1);
    const body = JSON.parse(gated.stdout);
    expect(body).toMatchObject({ status: "succeeded", summary: { pass_rate: 2 / 3, scored: 3 } });

    await writeFile(
      path.join(dir, "gate.jsonl"),
      '{"topic":"tides","expected":"tides"}\n{"topic":"comets","expected":"comets"}\n',
    );
    const local = await cli([
      "eval",
      "gate.json",
      "--dataset",
      "gate.jsonl",
      "--scorer",
      "regex:^Simulated",
      "--fail-under",
      "1",
    ]);
    expect(local.stderr).toBe("");
    expect(local.code).toBe(0);
    expect(local.stdout).toMatch(/pass rate {6}100\.0% \(2\/2 scored of 2\)/);

    const usage = await cli(["eval", "gate.json", "--dataset", "gate.csv", "--scorer", "cost_under"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--scorer cost_under needs a cost in cents/);
  }, 120_000);

  it("says when the server cannot be reached (exit 3)", async () => {
    const closed = await freePort(); // nothing listens there
    const r = await cli(["run", "00000000-0000-0000-0000-000000000000", "--server", `http://127.0.0.1:${closed}`]);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`flowtrace: cannot reach FlowTrace at http://127.0.0.1:${closed} (ECONNREFUSED)\n`);
  });
});

describe("flowtrace keys create", () => {
  it("makes a project API key in the configured database, printed once on stdout, that the server honours", async () => {
    const r = await cli(
      ["keys", "create", "--project", "default", "--scopes", "workflows:read,runs:read", "--name", "ci"],
      {
        DATABASE_URL: db.url,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    const key = r.stdout.trim();
    expect(key).toMatch(/^ft_[A-Za-z0-9_-]{43}$/);
    expect(r.stderr).toMatch(
      /API key ci \(ft_.{8}…\) for project default, scopes workflows:read, runs:read; shown once/,
    );
    const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    expect((await fetch(`${base}/api/workflows`, { headers })).status).toBe(200);
    const write = await fetch(`${base}/api/workflows`, { method: "POST", headers, body: "{}" });
    expect(write.status).toBe(403);
    expect(((await write.json()) as { error: { message: string } }).error.message).toBe(
      "this API key lacks the scope workflows:write",
    );
  });

  it("names what is wrong: an unknown project (exit 1), a bad scope or a missing option (exit 2)", async () => {
    const env = { DATABASE_URL: db.url };
    const unknown = await cli(["keys", "create", "--project", "nope", "--scopes", "runs:read", "--name", "x"], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/project nope does not exist/);
    const scope = await cli(
      ["keys", "create", "--project", "default", "--scopes", "runs:everything", "--name", "x"],
      env,
    );
    expect(scope.code).toBe(2);
    expect(scope.stderr).toMatch(/--scopes: "runs:everything": expected one of workflows:read/);
    const missing = await cli(["keys", "create", "--project", "default"], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/needs --project, --scopes and --name/);
  });
});
