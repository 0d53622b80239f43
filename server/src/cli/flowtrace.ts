/**
 * The `flowtrace` command.
 *
 *   flowtrace start | worker | migrate | seed
 *   flowtrace validate <file.json>
 *   flowtrace run <file.json | workflow-id> [--input k=v ...] [--json] [--server URL]
 *   flowtrace export <workflow-id> [--server URL]        (document to stdout, canonical JSON)
 *   flowtrace import <file.json> [--name NAME] [--server URL]
 *   flowtrace rerun <run-id> [--from NODE] [--set node.key=value ...] [--input k=v ...] [--replay] [--json]
 *   flowtrace diff <run-a> <run-b> [--json]                (run b against run a)
 *   flowtrace approve <run-id> <node-id> [--reject] [--comment TEXT]
 *   flowtrace eval <file.json | workflow-id> --dataset <file.csv|file.jsonl|file.json|dataset-id>
 *                  [--scorer SPEC ...] [--concurrency N] [--fail-under RATE] [--json] [--server URL]
 *
 * Exit codes: 0 success · 1 invalid workflow or failed/canceled run · 2 usage error · 3 server unreachable.
 */
import path from "node:path";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { loadConfig } from "../config/env.ts";
import { parseUuid } from "../domain/ids.ts";
import { exportWorkflow } from "../domain/workflow/io.ts";
import { validateWorkflow } from "../domain/workflow/validate.ts";
import { traceEvents } from "../http/sse-client.ts";
import { configuredProviders } from "../providers/registry.ts";
import { toolCatalog } from "../tools/registry.ts";
import { askDecision, canAsk, decideHint } from "./approval-prompt.ts";
import { api, headers, readDocument, ServerError, UsageError } from "./client.ts";
import { printRunDiff, type RunDiffBody } from "./diff-render.ts";
import { RunRenderer } from "./render.ts";

const USAGE = `usage:
  flowtrace start                    start the API and dashboard (same as npm start)
  flowtrace worker                   start a queue worker (server mode)
  flowtrace migrate                  apply database migrations
  flowtrace seed                     create the demo workflows
  flowtrace validate <file.json>     check a workflow document
  flowtrace run <file.json|id> [--input k=v ...] [--user ID] [--session ID] [--tag T ...] [--json] [--server URL]
  flowtrace export <id> [--server URL]
  flowtrace import <file.json> [--name NAME] [--server URL]
  flowtrace rerun <run-id> [--from NODE] [--set node.key=value ...] [--replay] [--user ID] [--session ID]
                 [--tag T ...] [--json] [--server URL]
  flowtrace diff <run-a> <run-b> [--json] [--server URL]
  flowtrace approve <run-id> <node-id> [--reject] [--comment TEXT] [--server URL]
  flowtrace approve <approval-id> [--reject] [--comment TEXT] [--args JSON] [--extend CENTS] [--server URL]
                 (an agent's tool call, with edited arguments, or its budget, extended by CENTS)
  flowtrace eval <file.json|id> --dataset <file.csv|file.jsonl|file.json|dataset-id>
                 [--scorer contains|exact[:V]|regex:RE|numeric[:TOL]|cost_under:CENTS|latency_under:MS|
                  json_schema:FILE|llm_judge:RUBRIC|JSON ...] [--concurrency N] [--fail-under 0.9]
                 [--json] [--server URL]   (exit 1 when the pass rate is under --fail-under)
  flowtrace keys create --project <name|id> --scopes <scope,...> --name <name> [--expires <ISO time>]
                 (a project API key, made in the configured database or the embedded data directory)`;

interface Args {
  positional: string[];
  inputs: Record<string, string>;
  json: boolean;
  server: string | null;
  name: string | null;
  from: string | null;
  /** --set node.key=value: node id → config patch. */
  overrides: Record<string, Record<string, unknown>>;
  replay: boolean;
  reject: boolean;
  comment: string | null;
  dataset: string | null;
  scorers: string[];
  concurrency: number | null;
  failUnder: number | null;
  /** approve --args (a tool approval's edited arguments, JSON) and --extend (a budget approval's cents). */
  approvalArgs: string | null;
  extend: string | null;
  /** --user, --session, --tag: the end user, session and tags of a run (`user_id`, `session_id`, `tags`). */
  attribution: { user_id?: string; session_id?: string; tags?: string[] };
}

/** `node.key=value`; the value is JSON when it parses as JSON (5, true, "x", {…}), else the text itself. */
function parseOverride(overrides: Args["overrides"], text: string): void {
  const m = /^([^.=]+)\.([^=]+)=(.*)$/s.exec(text);
  if (!m) throw new UsageError(`--set expects node.key=value, got ${JSON.stringify(text)}`);
  const [, node, key, raw] = m as unknown as [string, string, string, string];
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // plain text
  }
  overrides[node] = { ...overrides[node], [key]: value };
}

function numberFlag(flag: string, text: string | undefined, min: number, max: number): number | null {
  if (text === undefined) return null;
  const n = Number(text);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new UsageError(`${flag} expects a number from ${min} to ${max}, got ${text}`);
  return n;
}

function parseInputs(pairs: string[]): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const kv of pairs) {
    const eq = kv.indexOf("=");
    if (eq <= 0) throw new UsageError(`--input expects key=value, got ${JSON.stringify(kv)}`);
    inputs[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return inputs;
}

const flag = {
  json: { type: "boolean" },
  server: { type: "string" },
  name: { type: "string" },
  input: { type: "string", short: "i", multiple: true },
  user: { type: "string" },
  session: { type: "string" },
  tag: { type: "string", multiple: true },
} as const;

/** Each command's options (node:util parseArgs, strict: an option a command does not take is a usage error). */
const OPTIONS: Record<string, ParseArgsConfig["options"]> = {
  validate: {},
  export: { server: flag.server },
  import: { name: flag.name, server: flag.server },
  run: {
    input: flag.input,
    json: flag.json,
    server: flag.server,
    name: flag.name,
    user: flag.user,
    session: flag.session,
    tag: flag.tag,
  },
  rerun: {
    from: { type: "string" },
    set: { type: "string", multiple: true },
    input: flag.input,
    replay: { type: "boolean" },
    json: flag.json,
    server: flag.server,
    user: flag.user,
    session: flag.session,
    tag: flag.tag,
  },
  diff: { json: flag.json, server: flag.server },
  approve: {
    reject: { type: "boolean" },
    comment: { type: "string" },
    args: { type: "string" },
    extend: { type: "string" },
    json: flag.json,
    server: flag.server,
  },
  eval: {
    dataset: { type: "string" },
    scorer: { type: "string", multiple: true },
    concurrency: { type: "string" },
    "fail-under": { type: "string" },
    json: flag.json,
    server: flag.server,
    name: flag.name,
  },
};

type Values = Record<string, string | boolean | string[] | undefined>;

function argsFrom(values: Values, positional: string[]): Args {
  const text = (k: string) => (typeof values[k] === "string" ? (values[k] as string) : null);
  const list = (k: string) => (Array.isArray(values[k]) ? (values[k] as string[]) : []);
  const overrides: Args["overrides"] = {};
  for (const o of list("set")) parseOverride(overrides, o);
  return {
    positional,
    inputs: parseInputs(list("input")),
    json: values.json === true,
    server: text("server")?.replace(/\/+$/, "") ?? null,
    name: text("name"),
    from: text("from"),
    overrides,
    replay: values.replay === true,
    reject: values.reject === true,
    comment: text("comment"),
    dataset: text("dataset"),
    scorers: list("scorer"),
    concurrency: numberFlag("--concurrency", text("concurrency") ?? undefined, 1, 50),
    failUnder: numberFlag("--fail-under", text("fail-under") ?? undefined, 0, 1),
    approvalArgs: text("args"),
    extend: text("extend"),
    attribution: {
      ...(text("user") ? { user_id: text("user") as string } : {}),
      ...(text("session") ? { session_id: text("session") as string } : {}),
      ...(list("tag").length ? { tags: list("tag") } : {}),
    },
  };
}

function parseCommandArgs(command: string, argv: string[]): Args {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: OPTIONS[command] ?? {},
      allowPositionals: true,
      strict: true,
    });
    return argsFrom(values as Values, positionals);
  } catch (error) {
    // node:util's messages name the option ("Unknown option '--frob'", "Option '--from <value>' argument missing").
    if ((error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) throw new UsageError((error as Error).message);
    throw error;
  }
}

/** Colours only on a terminal, and never with NO_COLOR. */
const color = () => Boolean(process.stdout.isTTY) && !loadConfig().noColor;

/** Reads the server's SSE stream (replay + live), resuming after a drop, and hands each trace event to `onEvent`. */
async function streamRun(
  server: string,
  runId: string,
  onEvent: (e: Record<string, unknown>) => void,
  signal?: AbortSignal,
) {
  let last = 0;
  for (let attempt = 0; attempt < 20; attempt++) {
    let res: Response;
    try {
      res = await fetch(`${server}/api/runs/${runId}/stream`, {
        headers: { ...headers(), "last-event-id": String(last) },
        ...(signal ? { signal } : {}),
      });
    } catch {
      if (signal?.aborted) return;
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    if (res.status === 204) return; // the run's trace ended at `last`: nothing more to read
    if (!res.ok) throw new ServerError(`the run's event stream answered ${res.status}`);
    for await (const raw of traceEvents(res)) {
      if (signal?.aborted) return;
      if (raw.seq <= last) continue;
      last = raw.seq;
      onEvent({ seq: raw.seq, ts: raw.ts, kind: raw.kind, stepId: raw.step_id ?? null, payload: raw.payload });
      if (raw.kind === "run.finished") return;
    }
  }
  throw new ServerError("lost the run's event stream");
}

/**
 * Start the run on `server` (creating the workflow from a file first) and follow it to its end.
 * `local`: the server is this process's private one and goes away with it, so an approval nobody
 * can answer here stops the following ("waiting") instead of waiting forever.
 */
async function runRemote(
  args: Args,
  target: string,
  server: string,
  emit: (e: Record<string, unknown>) => void,
  options: { local?: boolean } = {},
): Promise<"finished" | "waiting"> {
  let workflowId = target;
  if (!parseUuid(target)) {
    const doc = await readDocument(target);
    const created = await api<{ id: string }>(server, "POST", "/api/workflows", {
      name: args.name ?? path.basename(target, ".json"),
      graph_json: doc,
    });
    workflowId = created.id;
  }
  const { runId } = await api<{ runId: string }>(server, "POST", `/api/workflows/${workflowId}/runs`, {
    input_vars: args.inputs,
    ...args.attribution,
  });
  const stop = new AbortController();
  const follow = approvalFollower(args, server, runId, emit, options.local ? stop : null);
  await streamRun(server, runId, follow, stop.signal);
  return stop.signal.aborted ? "waiting" : "finished";
}

/**
 * Following a run on a server: at an approval, ask on a terminal and send the decision (another
 * approver may win: that is said, not an error); elsewhere, say how to decide.
 */
function approvalFollower(
  args: Args,
  server: string,
  runId: string,
  emit: (e: Record<string, unknown>) => void,
  stopIfUnanswerable: AbortController | null,
) {
  let asking: AbortController | null = null;
  return (e: Record<string, unknown>) => {
    emit(e);
    const p = (e.payload ?? {}) as { nodeId?: unknown; approvalId?: unknown; kind?: unknown };
    const nodeId = String(p.nodeId ?? "");
    // An agent's approval (a tool call, a budget) is decided by its id; an approval node's by run and node.
    const byId = p.kind !== undefined && typeof p.approvalId === "string" ? p.approvalId : null;
    if (e.kind === "approval.resolved") asking?.abort();
    if (e.kind !== "approval.requested") return;
    if (!canAsk(args.json) && stopIfUnanswerable) return void stopIfUnanswerable.abort();
    if (!canAsk(args.json)) return void (args.json || console.log(decideHint(runId, nodeId, byId)));
    asking = new AbortController();
    const route = byId ? `/api/approvals/${byId}` : `/api/runs/${runId}/approvals/${nodeId}`;
    void askDecision(nodeId, asking.signal).then(async (answer) => {
      if (!answer) return;
      await api(server, "POST", route, answer).catch((error: Error) => console.log(`  ${error.message}`));
    });
  };
}

/** Exit code, or -1 for a command that keeps the process running (a server, a worker). */
type Command = (args: Args) => Promise<number>;

/** Same as `npm start`: build what is missing (Prisma client, dashboard), then serve. */
async function startCommand(): Promise<number> {
  const { spawn } = await import("node:child_process");
  const { fileURLToPath } = await import("node:url");
  const script = fileURLToPath(new URL("../../../scripts/ensure-built.mjs", import.meta.url));
  const code = await new Promise<number | null>((resolve) =>
    spawn(process.execPath, [script], { stdio: "inherit" }).on("exit", resolve),
  );
  if (code !== 0) return 1;
  await import("../main.api.ts");
  return -1;
}

const requirePositional = (args: Args, what: string): string => {
  const value = args.positional[0];
  if (!value) throw new UsageError(what);
  return value;
};

async function validateCommand(args: Args): Promise<number> {
  const file = requirePositional(args, "validate needs a file");
  const doc = await readDocument(file);
  const r = validateWorkflow(doc, {
    tools: toolCatalog,
    providers: configuredProviders(loadConfig()).map((p) => p.name),
  });
  if (r.ok) {
    console.log(`${file}: valid (${r.workflow.nodes.length} nodes, ${r.workflow.edges.length} edges)`);
    return 0;
  }
  for (const i of r.issues) console.log(`${file}: ${i.path || "(root)"}: ${i.message}`);
  console.log(`${r.issues.length} problem${r.issues.length === 1 ? "" : "s"}`);
  return 1;
}

async function exportCommand(args: Args): Promise<number> {
  const id = requirePositional(args, "export needs a workflow id");
  const server = args.server ?? loadConfig().publicUrl;
  const wf = await api<{ graph_json: Record<string, unknown> }>(server, "GET", `/api/workflows/${id}`);
  process.stdout.write(exportWorkflow(wf.graph_json));
  return 0;
}

async function importCommand(args: Args): Promise<number> {
  const file = requirePositional(args, "import needs a file");
  const doc = await readDocument(file);
  const created = await api<{ id: string }>(args.server ?? loadConfig().publicUrl, "POST", "/api/workflows", {
    name: args.name ?? path.basename(file, ".json"),
    graph_json: doc,
  });
  console.log(created.id);
  return 0;
}

/** Prints each event (the spec's SSE shape with --json, rendered otherwise) and remembers the run's status. */
function eventPrinter(args: Args) {
  const renderer = new RunRenderer({ color: !args.json && color(), write: (l) => console.log(l) });
  const seen = { status: null as string | null };
  const emit = (e: Record<string, unknown>) => {
    if (args.json)
      console.log(
        JSON.stringify({ seq: e.seq, ts: e.ts, kind: e.kind, step_id: e.stepId ?? null, payload: e.payload }),
      );
    else renderer.handle(e as never);
    if (e.kind === "run.finished") seen.status = String((e.payload as { status?: string }).status);
  };
  return { emit, status: () => seen.status };
}

/** A document that does not validate is reported here, before any server is involved. */
async function invalidDocument(file: string): Promise<boolean> {
  const r = validateWorkflow(await readDocument(file), {
    tools: toolCatalog,
    providers: configuredProviders(loadConfig()).map((p) => p.name),
  });
  if (!r.ok) for (const i of r.issues) console.error(`${file}: ${i.path || "(root)"}: ${i.message}`);
  return !r.ok;
}

/** A workflow file without --server runs on a private local server (local-server.ts), the same way. */
async function runCommand(args: Args): Promise<number> {
  const target = requirePositional(args, "run needs a workflow file or id");
  const printer = eventPrinter(args);
  if (args.server || parseUuid(target)) {
    await runRemote(args, target, args.server ?? loadConfig().publicUrl, printer.emit);
    return printer.status() === "succeeded" ? 0 : 1;
  }
  if (await invalidDocument(target)) return 1;
  const { startLocalServer } = await import("./local-server.ts");
  const local = await startLocalServer("run");
  try {
    if ((await runRemote(args, target, local.url, printer.emit, { local: true })) === "waiting") {
      console.error(
        "flowtrace: the run waits for an approval and no terminal can answer; run it with --server to decide later",
      );
      return 1;
    }
  } finally {
    await local.stop();
  }
  return printer.status() === "succeeded" ? 0 : 1;
}

/** Re-run a finished run on the server (from a node, with --set overrides, or --replay) and follow it. */
async function rerunCommand(args: Args): Promise<number> {
  const runId = requirePositional(args, "rerun needs a run id");
  const server = args.server ?? loadConfig().publicUrl;
  const inputs = { ...(Object.keys(args.inputs).length ? { input_vars: args.inputs } : {}), ...args.attribution };
  const body = args.replay
    ? { replay: true, ...inputs }
    : {
        ...(args.from ? { from_node: args.from } : {}),
        ...(Object.keys(args.overrides).length ? { overrides: args.overrides } : {}),
        ...inputs,
      };
  const started = await api<{ runId: string; reused: string[]; executed: { node_id: string; reason: string }[] }>(
    server,
    "POST",
    `/api/runs/${runId}/rerun`,
    body,
  );
  if (!args.json) {
    console.log(`re-run ${started.runId} of ${runId}: reusing ${started.reused.join(", ") || "nothing"}`);
    for (const e of started.executed) console.log(`  executes ${e.node_id}: ${e.reason}`);
  }
  const printer = eventPrinter(args);
  await streamRun(server, started.runId, printer.emit);
  return printer.status() === "succeeded" ? 0 : 1;
}

async function diffCommand(args: Args): Promise<number> {
  const [a, b] = args.positional;
  if (!a || !b) throw new UsageError("diff needs two run ids: flowtrace diff <runA> <runB>");
  const diff = await api<RunDiffBody>(args.server ?? loadConfig().publicUrl, "GET", `/api/runs/${b}/diff?against=${a}`);
  if (args.json) console.log(JSON.stringify(diff, null, 2));
  else printRunDiff(diff, (l) => console.log(l));
  return 0;
}

/** Decide an approval a run waits at, for scripts: exit 0 when recorded, 1 when refused (already decided, not waiting). */
/** The decision's route and body: an approval node by run and node, any approval (an agent's) by its id. */
function approvalRequest(args: Args) {
  const [first, nodeId] = args.positional;
  const decision = args.reject ? "reject" : "approve";
  const comment = args.comment ? { comment: args.comment } : {};
  if (first && !nodeId) {
    const extras = {
      ...(args.approvalArgs ? { args: parseJsonObject("--args", args.approvalArgs) } : {}),
      ...(args.extend ? { extend_cents: args.extend } : {}),
    };
    return {
      decision,
      what: `approval ${first}`,
      path: `/api/approvals/${first}`,
      body: { decision, ...comment, ...extras },
    };
  }
  if (!first || !nodeId) {
    throw new UsageError("approve needs a run id and a node id (flowtrace approve <run> <node>), or an approval id");
  }
  return {
    decision,
    what: `${nodeId} of run ${first}`,
    path: `/api/runs/${first}/approvals/${nodeId}`,
    body: { decision, ...comment },
  };
}

function parseJsonObject(flag: string, text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new UsageError(`${flag} expects a JSON object, e.g. '{"url": "https://example.com"}'`);
}

async function approveCommand(args: Args): Promise<number> {
  const { decision, what, path: route, body } = approvalRequest(args);
  const run = await api<{ status: string }>(args.server ?? loadConfig().publicUrl, "POST", route, body).catch(
    (error: Error & { status?: number }) => {
      if (error.status === 409 || error.status === 404 || error.status === 422) return { error: error.message };
      throw error;
    },
  );
  if ("error" in run) {
    console.error(`flowtrace: ${run.error}`);
    return 1;
  }
  if (args.json) console.log(JSON.stringify(run, null, 2));
  else console.log(`${decision === "approve" ? "approved" : "rejected"} ${what}; it resumes (${run.status})`);
  return 0;
}

/** Run a workflow over a dataset, scored; exit 1 under --fail-under (a CI gate). */
async function evalCommandOf(args: Args): Promise<number> {
  const target = requirePositional(args, "eval needs a workflow file or id");
  if (!args.dataset) throw new UsageError("eval needs --dataset <file.csv|file.jsonl|file.json|dataset-id>");
  const { evalCommand } = await import("./eval.ts");
  return evalCommand({ ...args, target, dataset: args.dataset });
}

const keepRunning =
  (load: () => Promise<unknown>): Command =>
  async () => {
    await load();
    return -1;
  };

const COMMANDS: Record<string, Command> = {
  start: startCommand,
  worker: keepRunning(() => import("../main.worker.ts")),
  migrate: keepRunning(() => import("./migrate.ts")),
  seed: keepRunning(() => import("./seed.ts")),
  validate: validateCommand,
  export: exportCommand,
  import: importCommand,
  run: runCommand,
  rerun: rerunCommand,
  diff: diffCommand,
  approve: approveCommand,
  eval: evalCommandOf,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || ["help", "--help", "-h"].includes(command)) {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === "keys") return (await import("./keys.ts")).keysCommand(rest);
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!run) throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  return run(parseCommandArgs(command, rest));
}

// `flowtrace run … --json | head` closes the pipe early: that is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error) => {
    if (error instanceof UsageError) {
      console.error(`flowtrace: ${error.message}\n${USAGE}`);
      process.exit(2);
    }
    if (error instanceof ServerError) {
      console.error(`flowtrace: ${error.message}`);
      process.exit(3);
    }
    console.error(`flowtrace: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
