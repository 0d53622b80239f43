/**
 * Datasets and experiments over REST: the same style as the spec's routes (snake_case, the error
 * body), each route a thin call into services/datasets.ts and services/experiments.ts, its body
 * parsed with the schemas GraphQL uses too (services/eval-inputs.ts).
 */
import type { Hono } from "hono";
import type { PrismaClient } from "../db/prisma.ts";
import { parseUuid } from "../domain/ids.ts";
import type { JobQueue } from "../queue/queue.ts";
import type { PubSub } from "../realtime/pubsub.ts";
import {
  addRunToDataset,
  appendItems,
  createDataset,
  datasetPage,
  deleteDataset,
  getDataset,
  listDatasets,
  parseItemsUpload,
  previewItemsUpload,
  serializeDataset,
  updateDataset,
} from "../services/datasets.ts";
import { appendBody, createBody, experimentBody, fromRunBody, itemsPage, updateBody } from "../services/eval-inputs.ts";
import {
  cancelExperiment,
  compareExperimentsById,
  getExperiment,
  listExperiments,
  startExperiment,
} from "../services/experiments.ts";
import { NotFoundError } from "../services/runs.ts";
import { BadRequest, body, idParam, type ParamSource, query } from "./request.ts";

type Deps = { prisma: PrismaClient; queue: JobQueue; pubsub: PubSub; providerNames: () => string[] };

/** An id in a JSON body: a 404 naming it when it is no id of anything. */
function bodyId(text: string, what: string) {
  const id = parseUuid(text);
  if (!id) throw new NotFoundError(`${what} ${text} does not exist`);
  return id;
}

/** The upload's format from its content type: JSON (`{items}`), CSV, or JSON Lines. */
function uploadKind(contentType: string | undefined): "json" | "csv" | "jsonl" {
  const type = (contentType ?? "application/json").split(";")[0]?.trim().toLowerCase();
  if (type === "text/csv") return "csv";
  if (type === "application/x-ndjson" || type === "application/jsonl" || type === "application/json-lines")
    return "jsonl";
  if (type === "application/json" || type === "") return "json";
  throw new BadRequest(`unsupported content type ${type}: expected application/json, text/csv or application/x-ndjson`);
}

function datasetRoutes(app: Hono, deps: Deps): void {
  const datasetId = (c: ParamSource) => idParam(c, "id", "dataset");
  app.post("/datasets", async (c) => {
    const b = await body(c.req.raw, createBody);
    const dataset = await createDataset(deps, { name: b.name, description: b.description ?? null, items: b.items });
    return c.json({ id: dataset.id }, 201);
  });
  app.get("/datasets", async (c) => c.json({ items: (await listDatasets(deps)).map(serializeDataset) }));
  app.get("/datasets/:id", async (c) => {
    return c.json(await datasetPage(deps, datasetId(c), query(c, itemsPage)));
  });
  app.put("/datasets/:id", async (c) => {
    const b = await body(c.req.raw, updateBody);
    const dataset = await updateDataset(deps, datasetId(c), {
      ...(b.name !== undefined ? { name: b.name } : {}),
      ...(b.description !== undefined ? { description: b.description } : {}),
      ...(b.items !== undefined ? { items: b.items } : {}),
    });
    return c.json(serializeDataset(dataset));
  });
  app.delete("/datasets/:id", async (c) => {
    await deleteDataset(deps, datasetId(c));
    return c.body(null, 204);
  });
  app.post("/datasets/:id/items", async (c) => {
    const id = datasetId(c);
    const kind = uploadKind(c.req.header("content-type"));
    if (c.req.query("dry_run") !== undefined) {
      if (kind === "json") throw new BadRequest("dry_run previews CSV and JSON Lines uploads");
      await getDataset(deps, id);
      const preview = previewItemsUpload(kind, await c.req.text());
      return c.json({ count: preview.items.length, items: preview.items.slice(0, 20), issues: preview.issues });
    }
    const parsed =
      kind === "json" ? (await body(c.req.raw, appendBody)).items : parseItemsUpload(kind, await c.req.text());
    return c.json(await appendItems(deps, id, parsed), 201);
  });
  app.post("/datasets/:id/items/from-run", async (c) => {
    const id = datasetId(c);
    const b = await body(c.req.raw, fromRunBody);
    const options = {
      ...(b.expected !== undefined ? { expected: b.expected } : {}),
      ...(b.metadata !== undefined ? { metadata: b.metadata } : {}),
    };
    return c.json(await addRunToDataset(deps, id, bodyId(b.run_id, "run"), options), 201);
  });
}

function experimentRoutes(app: Hono, deps: Deps): void {
  const experimentId = (c: ParamSource) => idParam(c, "id", "experiment");
  app.post("/workflows/:id/experiments", async (c) => {
    const workflowId = idParam(c, "id", "workflow");
    const b = await body(c.req.raw, experimentBody);
    const experiment = await startExperiment(deps, {
      workflowId,
      datasetId: bodyId(b.dataset_id, "dataset"),
      version: b.version,
      scorers: b.scorers,
      concurrency: b.concurrency,
      name: b.name,
    });
    return c.json({ experimentId: experiment.id }, 202);
  });
  app.get("/workflows/:id/experiments", async (c) =>
    c.json({ items: await listExperiments(deps, idParam(c, "id", "workflow")) }),
  );
  app.get("/experiments/:id", async (c) => c.json(await getExperiment(deps, experimentId(c))));
  app.post("/experiments/:id/cancel", async (c) => c.json(await cancelExperiment(deps, experimentId(c)), 202));
  app.get("/experiments/:id/compare", async (c) => {
    const id = experimentId(c);
    const againstText = c.req.query("against");
    if (!againstText) throw new BadRequest("invalid query: against must name the experiment to compare with");
    return c.json(await compareExperimentsById(deps, id, bodyId(againstText, "experiment")));
  });
}

export function evalRoutes(app: Hono, deps: Deps): void {
  datasetRoutes(app, deps);
  experimentRoutes(app, deps);
}
