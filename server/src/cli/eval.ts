import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ExperimentDetailJson } from "@flowtrace/contract/evals";
import { loadConfig } from "../config/env.ts";
import { parseUuid } from "../domain/ids.ts";
import { api, RawBody, readDocument, UsageError } from "./client.ts";
import { printExperiment, progressLine } from "./eval-render.ts";
import { startLocalServer } from "./local-server.ts";
import { parseScorerFlag } from "./scorer-flags.ts";

export interface EvalArgs {
  target: string;
  dataset: string;
  scorers: string[];
  concurrency: number | null;
  failUnder: number | null;
  json: boolean;
  server: string | null;
  name: string | null;
}

/** Exit code: 0 passed (or no gate), 1 under the gate or the experiment did not finish. */
export async function evalCommand(args: EvalArgs): Promise<number> {
  const scorers = await Promise.all((args.scorers.length ? args.scorers : ["contains"]).map(parseScorerFlag));
  if (args.server || parseUuid(args.target)) return evaluate(args.server ?? loadConfig().publicUrl, args, scorers);
  const local = await startLocalServer("eval");
  try {
    return await evaluate(local.url, args, scorers);
  } finally {
    await local.stop();
  }
}

async function evaluate(server: string, args: EvalArgs, scorers: unknown[]): Promise<number> {
  const workflowId = await workflowFor(server, args);
  const datasetId = await datasetFor(server, args.dataset);
  const { experimentId } = await api<{ experimentId: string }>(
    server,
    "POST",
    `/api/workflows/${workflowId}/experiments`,
    {
      dataset_id: datasetId,
      scorers,
      ...(args.concurrency ? { concurrency: args.concurrency } : {}),
      ...(args.name ? { name: args.name } : {}),
    },
  );
  const experiment = await follow(server, experimentId, !args.json && Boolean(process.stderr.isTTY));
  if (args.json) console.log(JSON.stringify(experiment, null, 2));
  else printExperiment(experiment, { failUnder: args.failUnder, server }, (l) => console.log(l));
  if (experiment.status !== "succeeded") return 1;
  const rate = experiment.summary.pass_rate ?? 0;
  return args.failUnder !== null && rate < args.failUnder ? 1 : 0;
}

async function workflowFor(server: string, args: EvalArgs): Promise<string> {
  if (parseUuid(args.target)) return args.target;
  const doc = await readDocument(args.target);
  const created = await api<{ id: string }>(server, "POST", "/api/workflows", {
    name: args.name ?? path.basename(args.target, ".json"),
    graph_json: doc,
  });
  return created.id;
}

/** A dataset id, or a file uploaded as a new dataset (CSV, JSON Lines, or JSON: an array of items). */
async function datasetFor(server: string, dataset: string): Promise<string> {
  if (parseUuid(dataset)) return dataset;
  const text = await readFile(dataset, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${dataset}: ${error.code ?? error.message}`);
  });
  const ext = path.extname(dataset).toLowerCase();
  const { id } = await api<{ id: string }>(server, "POST", "/api/datasets", { name: path.basename(dataset) });
  const body =
    ext === ".csv"
      ? new RawBody(text, "text/csv")
      : ext === ".jsonl" || ext === ".ndjson"
        ? new RawBody(text, "application/x-ndjson")
        : { items: jsonItems(dataset, text) };
  await api(server, "POST", `/api/datasets/${id}/items`, body);
  return id;
}

function jsonItems(file: string, text: string): unknown {
  try {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) ? value : (value as { items?: unknown }).items;
  } catch (error) {
    throw new UsageError(
      `${file} is not valid JSON: ${(error as Error).message} (use .csv or .jsonl for those formats)`,
    );
  }
}

/** Poll the experiment until it ends, drawing a progress bar on a terminal. */
async function follow(server: string, id: string, bar: boolean): Promise<ExperimentDetailJson> {
  for (;;) {
    const experiment = await api<ExperimentDetailJson>(server, "GET", `/api/experiments/${id}`);
    const ended = !["queued", "running"].includes(experiment.status);
    if (bar) process.stderr.write(`\r${progressLine(experiment)}${ended ? "\n" : ""}`);
    if (ended) return experiment;
    await new Promise((r) => setTimeout(r, 250));
  }
}
