/**
 * Dataset use cases: create, list, read (items paginated), rename or replace items, delete, append
 * items (JSON, CSV or JSON Lines, all or nothing, every bad row named), and add a finished run.
 */

import type { DatasetItemJson, DatasetJson } from "@flowtrace/contract/evals";
import { parse as parseCsv } from "csv-parse/sync";
import type { PrismaClient } from "../db/prisma.ts";
import { CALLER_PROJECT } from "../db/project-scope.ts";
import {
  type DatasetItemInput,
  itemsFromCsvRows,
  MAX_DATASET_ITEMS,
  parseJsonLines,
  type RowIssue,
} from "../domain/eval/dataset.ts";
import type { Uuid } from "../domain/ids.ts";
import { isFinalRun } from "../domain/run-status.ts";
import { InvalidRequestError, NotFoundError } from "./runs.ts";

type Deps = { prisma: PrismaClient };

export async function createDataset(
  deps: Deps,
  input: { name: string; description: string | null; items: DatasetItemInput[] },
) {
  checkSize(0, input.items.length);
  return deps.prisma.$transaction(async (tx) => {
    const dataset = await tx.dataset.create({
      data: { projectId: CALLER_PROJECT, name: input.name, description: input.description },
    });
    await tx.datasetItem.createMany({ data: rowsFor(dataset.id, 0, input.items) });
    return dataset;
  });
}

function rowsFor(datasetId: string, from: number, items: DatasetItemInput[], sourceRunId: string | null = null) {
  return items.map((item, i) => ({
    datasetId,
    position: from + i,
    inputVars: item.input_vars as object,
    ...(item.expected !== undefined ? { expected: item.expected as object } : {}),
    ...(item.metadata !== undefined ? { metadata: item.metadata as object } : {}),
    sourceRunId,
  }));
}

function checkSize(existing: number, adding: number) {
  if (existing + adding > MAX_DATASET_ITEMS) {
    throw new InvalidRequestError("too many items", [
      { path: "items", message: `a dataset holds at most ${MAX_DATASET_ITEMS} items (${existing} + ${adding})` },
    ]);
  }
}

export async function listDatasets(deps: Deps) {
  return deps.prisma.dataset.findMany({
    orderBy: { createdAt: "desc" },
    include: { _count: { select: { items: true } } },
    take: 500,
  });
}

export async function getDataset(deps: Deps, id: Uuid) {
  const dataset = await deps.prisma.dataset.findUnique({
    where: { id },
    include: { _count: { select: { items: true } } },
  });
  if (!dataset) throw new NotFoundError(`dataset ${id} does not exist`);
  return dataset;
}

export async function listDatasetItems(deps: Deps, id: Uuid, page: { offset: number; limit: number }) {
  return deps.prisma.datasetItem.findMany({
    where: { datasetId: id },
    orderBy: { position: "asc" },
    skip: page.offset,
    take: page.limit,
  });
}

export async function updateDataset(
  deps: Deps,
  id: Uuid,
  input: { name?: string; description?: string | null; items?: DatasetItemInput[] },
) {
  await getDataset(deps, id);
  if (input.items) checkSize(0, input.items.length);
  await deps.prisma.$transaction(async (tx) => {
    await tx.dataset.update({
      where: { id },
      data: {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        updatedAt: new Date(),
      },
    });
    if (!input.items) return;
    await tx.datasetItem.deleteMany({ where: { datasetId: id } });
    await tx.datasetItem.createMany({ data: rowsFor(id, 0, input.items) });
  });
  return getDataset(deps, id);
}

export async function deleteDataset(deps: Deps, id: Uuid) {
  const deleted = await deps.prisma.dataset.deleteMany({ where: { id } });
  if (deleted.count === 0) throw new NotFoundError(`dataset ${id} does not exist`);
}

/** Append items after the last one; the dataset's row is locked so two appends never share positions. */
export async function appendItems(deps: Deps, id: Uuid, items: DatasetItemInput[], sourceRunId: string | null = null) {
  if (items.length === 0)
    throw new InvalidRequestError("no items", [{ path: "items", message: "expected at least one item" }]);
  return deps.prisma.$transaction(async (tx) => {
    // Found through the (project-scoped) client first: the raw lock below sees every project.
    if (!(await tx.dataset.findUnique({ where: { id }, select: { id: true } }))) {
      throw new NotFoundError(`dataset ${id} does not exist`);
    }
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM datasets WHERE id = ${id}::uuid FOR UPDATE`;
    if (locked.length === 0) throw new NotFoundError(`dataset ${id} does not exist`);
    const count = await tx.datasetItem.count({ where: { datasetId: id } });
    checkSize(count, items.length);
    await tx.datasetItem.createMany({ data: rowsFor(id, count, items, sourceRunId) });
    await tx.dataset.update({ where: { id }, data: { updatedAt: new Date() } });
    return { added: items.length, item_count: count + items.length };
  });
}

/** Items from an upload's text by its content type; every bad row is named, and none is kept then. */
export function parseItemsUpload(contentType: "csv" | "jsonl", text: string): DatasetItemInput[] {
  const { items, issues } = previewItemsUpload(contentType, text);
  if (issues.length)
    throw new InvalidRequestError(`${issues.length} bad ${issues.length === 1 ? "row" : "rows"}`, issues);
  return items;
}

/** What an upload would add, and what is wrong with it, without adding anything (the import preview). */
export function previewItemsUpload(
  contentType: "csv" | "jsonl",
  text: string,
): { items: DatasetItemInput[]; issues: RowIssue[] } {
  return contentType === "csv" ? csvItems(text) : parseJsonLines(text);
}

function csvItems(text: string): { items: DatasetItemInput[]; issues: RowIssue[] } {
  let rows: string[][];
  try {
    rows = parseCsv(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: false });
  } catch (error) {
    const e = error as Error & { lines?: number };
    return {
      items: [],
      issues: [{ path: e.lines ? `row ${e.lines}` : "(file)", message: `not valid CSV: ${e.message}` }],
    };
  }
  return itemsFromCsvRows(rows);
}

/**
 * "Add to dataset" from a finished run: its inputs, and its output (the last executed node's) as
 * the expected value unless the caller gives one.
 */
export async function addRunToDataset(
  deps: Deps,
  datasetId: Uuid,
  runId: Uuid,
  options: { expected?: unknown; metadata?: Record<string, unknown> } = {},
) {
  const run = await deps.prisma.workflowRun.findUnique({ where: { id: runId } });
  if (!run) throw new NotFoundError(`run ${runId} does not exist`);
  if (!isFinalRun(run.status)) {
    throw new InvalidRequestError("the run has not finished", [
      { path: "run_id", message: `run ${runId} is ${run.status}; add it once it has finished` },
    ]);
  }
  const expected = options.expected !== undefined ? options.expected : await lastOutput(deps, runId);
  const item: DatasetItemInput = {
    input_vars: (run.inputVars ?? {}) as Record<string, unknown>,
    ...(expected !== undefined && expected !== null ? { expected } : {}),
    ...(options.metadata ? { metadata: options.metadata } : {}),
  };
  return appendItems(deps, datasetId, [item], runId);
}

/** The run's output: its last executed (succeeded) step's, or one node's. */
export async function lastOutput(deps: Deps, runId: string, nodeId?: string): Promise<unknown> {
  const step = await deps.prisma.runStep.findFirst({
    where: { runId, status: "succeeded", ...(nodeId ? { nodeId } : {}) },
    orderBy: [{ finishedAt: "desc" }, { nodeId: "desc" }],
    select: { output: true },
  });
  return step?.output ?? undefined;
}

type DatasetRow = Awaited<ReturnType<typeof getDataset>>;
type ItemRow = Awaited<ReturnType<typeof listDatasetItems>>[number];

export function serializeDataset(d: DatasetRow): DatasetJson {
  return {
    id: d.id,
    name: d.name,
    description: d.description,
    item_count: d._count.items,
    created_at: d.createdAt.toISOString(),
    updated_at: d.updatedAt.toISOString(),
  };
}

export function serializeDatasetItem(i: ItemRow): DatasetItemJson {
  return {
    id: i.id,
    position: i.position,
    input_vars: i.inputVars as Record<string, unknown>,
    ...(i.expected !== null ? { expected: i.expected } : {}),
    metadata: (i.metadata as Record<string, unknown> | null) ?? null,
    source_run_id: i.sourceRunId,
    created_at: i.createdAt.toISOString(),
  };
}

/** A dataset as the contract shows it (NotFoundError when there is none). */
export async function datasetJson(deps: Deps, id: Uuid): Promise<DatasetJson> {
  return serializeDataset(await getDataset(deps, id));
}

/** A dataset with one page of its items, and where the next page starts (null on the last). */
export async function datasetPage(
  deps: Deps,
  id: Uuid,
  page: { offset: number; limit: number },
): Promise<DatasetJson & { items: DatasetItemJson[]; next_offset: number | null }> {
  const dataset = await getDataset(deps, id);
  const rows = await listDatasetItems(deps, id, page);
  const next = page.offset + rows.length < dataset._count.items ? page.offset + rows.length : null;
  return { ...serializeDataset(dataset), items: rows.map(serializeDatasetItem), next_offset: next };
}
