/**
 * Datasets in GraphQL: the `datasets` and `dataset(id)` queries (items paginated) and the mutations
 * that create, change, fill (JSON, CSV, JSON Lines, a finished run) and delete them. Arguments are
 * parsed with the REST routes' schemas (services/eval-inputs.ts); the shapes are the evals contract's.
 */
import type { DatasetItemJson, DatasetJson } from "@flowtrace/contract/evals";
import type { Uuid } from "../../domain/ids.ts";
import {
  addRunToDataset,
  appendItems,
  createDataset,
  datasetJson,
  deleteDataset,
  listDatasetItems,
  listDatasets,
  parseItemsUpload,
  previewItemsUpload,
  serializeDataset,
  serializeDatasetItem,
  updateDataset,
} from "../../services/datasets.ts";
import { appendBody, createBody, fromRunBody, itemsPage, parseInput, updateBody } from "../../services/eval-inputs.ts";
import { nullWhenMissing, withoutNulls } from "../args.ts";
import { builder } from "../builder.ts";
import { existingId, lookupId } from "../ids.ts";
import { Deleted, InvalidRequestError, NotFoundError, ValidationIssueType } from "./errors.ts";

export const DatasetItemType = builder.objectRef<DatasetItemJson>("DatasetItem").implement({
  description: "One case of a dataset: the workflow's input variables and, optionally, the expected answer.",
  fields: (t) => ({
    id: t.exposeID("id"),
    position: t.exposeInt("position", { description: "0-based order in the dataset." }),
    inputVars: t.field({ type: "JSON", resolve: (i) => i.input_vars }),
    expected: t.field({ type: "JSON", nullable: true, resolve: (i) => i.expected ?? null }),
    metadata: t.field({ type: "JSON", nullable: true, resolve: (i) => i.metadata }),
    sourceRunId: t.id({ nullable: true, description: "The run it was added from.", resolve: (i) => i.source_run_id }),
    createdAt: t.field({ type: "DateTime", resolve: (i) => new Date(i.created_at) }),
  }),
});

const DatasetItemPageType = builder
  .objectRef<{ items: DatasetItemJson[]; nextOffset: number | null }>("DatasetItemPage")
  .implement({
    description: "One page of a dataset's items, in order.",
    fields: (t) => ({
      items: t.field({ type: [DatasetItemType], resolve: (p) => p.items }),
      nextOffset: t.exposeInt("nextOffset", {
        nullable: true,
        description: "Where the next page starts; null on the last.",
      }),
    }),
  });

export const DatasetType = builder.objectRef<DatasetJson>("Dataset").implement({
  description: "A named list of cases to run a workflow on in an experiment.",
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    description: t.exposeString("description", { nullable: true }),
    itemCount: t.exposeInt("item_count"),
    createdAt: t.field({ type: "DateTime", resolve: (d) => new Date(d.created_at) }),
    updatedAt: t.field({ type: "DateTime", resolve: (d) => new Date(d.updated_at) }),
    items: t.field({
      type: DatasetItemPageType,
      description: "Items in order, a page at a time (limit 1–1000, default 100).",
      args: {
        offset: t.arg.int({ required: false }).validate(itemsPage.shape.offset),
        limit: t.arg.int({ required: false }).validate(itemsPage.shape.limit),
      },
      resolve: async (d, args, ctx) => {
        const page = { offset: args.offset ?? 0, limit: args.limit ?? 100 };
        const rows = await listDatasetItems(ctx.deps, d.id as Uuid, page);
        const end = page.offset + rows.length;
        return { items: rows.map(serializeDatasetItem), nextOffset: end < d.item_count ? end : null };
      },
    }),
  }),
});

const FileFormatEnum = builder.enumType("DatasetFileFormat", {
  description: "An upload's format: CSV (a header row; `expected` and `metadata` columns are special) or JSON Lines.",
  values: { CSV: { value: "csv" }, JSONL: { value: "jsonl" } } as const,
});

const DatasetImportType = builder
  .objectRef<{
    count: number;
    items: unknown[];
    issues: { path: string; message: string }[];
    dataset: DatasetJson | null;
  }>("DatasetImport")
  .implement({
    description: "What an upload adds (or, in a dry run, would add) and what is wrong with it.",
    fields: (t) => ({
      count: t.exposeInt("count", { description: "How many items the file holds." }),
      items: t.field({ type: "JSON", description: "The first 20 items, as parsed.", resolve: (r) => r.items }),
      issues: t.field({
        type: [ValidationIssueType],
        description: "Every bad row; none is added then.",
        resolve: (r) => r.issues,
      }),
      dataset: t.field({
        type: DatasetType,
        nullable: true,
        description: "The dataset after the import; null in a dry run.",
        resolve: (r) => r.dataset,
      }),
    }),
  });

builder.queryFields((t) => ({
  datasets: t.field({
    type: [DatasetType],
    description: "Every dataset, newest first (at most 500).",
    resolve: async (_root, _args, ctx) => (await listDatasets(ctx.deps)).map(serializeDataset),
  }),
  dataset: t.field({
    type: DatasetType,
    nullable: true,
    args: { id: t.arg.id({ required: true }).validate(lookupId) },
    resolve: async (_root, { id }, ctx) => (id ? datasetJson(ctx.deps, id).catch(nullWhenMissing) : null),
  }),
}));

datasetMutations();
itemMutations();
importMutation();

function datasetMutations(): void {
  builder.mutationFields((t) => ({
    createDataset: t.field({
      type: DatasetType,
      errors: { types: [InvalidRequestError] },
      args: { name: t.arg.string({ required: true }), description: t.arg.string(), items: t.arg({ type: "JSON" }) },
      resolve: async (_root, args, ctx) => {
        const b = parseInput(createBody, withoutNulls(args), "dataset");
        const created = await createDataset(ctx.deps, {
          name: b.name,
          description: b.description ?? null,
          items: b.items,
        });
        return datasetJson(ctx.deps, created.id as Uuid);
      },
    }),
    updateDataset: t.field({
      type: DatasetType,
      description: "Rename it, describe it, or replace all its items.",
      errors: { types: [NotFoundError, InvalidRequestError] },
      args: {
        id: t.arg.id({ required: true }).validate(existingId("dataset")),
        name: t.arg.string(),
        description: t.arg.string(),
        items: t.arg({ type: "JSON" }),
      },
      resolve: async (_root, { id, ...args }, ctx) => {
        const b = parseInput(updateBody, withoutNulls(args, ["description"]), "dataset");
        const change = {
          ...(b.name !== undefined ? { name: b.name } : {}),
          ...(b.description !== undefined ? { description: b.description } : {}),
          ...(b.items !== undefined ? { items: b.items } : {}),
        };
        return serializeDataset(await updateDataset(ctx.deps, id, change));
      },
    }),
    deleteDataset: t.field({
      type: Deleted,
      errors: { types: [NotFoundError] },
      args: { id: t.arg.id({ required: true }).validate(existingId("dataset")) },
      resolve: async (_root, { id }, ctx) => {
        await deleteDataset(ctx.deps, id);
        return { id };
      },
    }),
  }));
}

function itemMutations(): void {
  builder.mutationFields((t) => ({
    addDatasetItems: t.field({
      type: DatasetType,
      description: "Append items (`[{input_vars, expected?, metadata?}]`) after the last one: all or none.",
      errors: { types: [NotFoundError, InvalidRequestError] },
      args: {
        datasetId: t.arg.id({ required: true }).validate(existingId("dataset")),
        items: t.arg({ type: "JSON", required: true }),
      },
      resolve: async (_root, { datasetId, items }, ctx) => {
        await appendItems(ctx.deps, datasetId, parseInput(appendBody, { items }, "items").items);
        return datasetJson(ctx.deps, datasetId);
      },
    }),
    addRunToDataset: t.field({
      type: DatasetType,
      description: "Add a finished run as an item: its inputs, and its output as the expected answer unless given.",
      errors: { types: [NotFoundError, InvalidRequestError] },
      args: {
        datasetId: t.arg.id({ required: true }).validate(existingId("dataset")),
        runId: t.arg.id({ required: true }).validate(existingId("run")),
        expected: t.arg({ type: "JSON" }),
        metadata: t.arg({ type: "JSON" }),
      },
      resolve: async (_root, { datasetId, runId, ...rest }, ctx) => {
        const b = parseInput(fromRunBody, { run_id: runId, ...withoutNulls(rest) }, "item");
        const options = {
          ...(b.expected !== undefined ? { expected: b.expected } : {}),
          ...(b.metadata !== undefined ? { metadata: b.metadata } : {}),
        };
        await addRunToDataset(ctx.deps, datasetId, runId, options);
        return datasetJson(ctx.deps, datasetId);
      },
    }),
  }));
}

function importMutation(): void {
  builder.mutationFields((t) => ({
    importDatasetItems: t.field({
      type: DatasetImportType,
      description: "Append a CSV or JSON Lines file's rows (all or none), or preview them with dryRun.",
      errors: { types: [NotFoundError, InvalidRequestError] },
      args: {
        datasetId: t.arg.id({ required: true }).validate(existingId("dataset")),
        format: t.arg({ type: FileFormatEnum, required: true }),
        text: t.arg.string({ required: true }),
        dryRun: t.arg.boolean(),
      },
      resolve: async (_root, { datasetId, format, text, dryRun }, ctx) => {
        await datasetJson(ctx.deps, datasetId);
        if (dryRun) {
          const preview = previewItemsUpload(format, text);
          return {
            count: preview.items.length,
            items: preview.items.slice(0, 20),
            issues: preview.issues,
            dataset: null,
          };
        }
        const items = parseItemsUpload(format, text);
        await appendItems(ctx.deps, datasetId, items);
        return {
          count: items.length,
          items: items.slice(0, 20),
          issues: [],
          dataset: await datasetJson(ctx.deps, datasetId),
        };
      },
    }),
  }));
}
