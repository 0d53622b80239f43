/** The trace contract lives in the shared package (packages/contract/src/trace.ts); re-exported for the server. */
export * from "@flowtrace/contract/trace";
