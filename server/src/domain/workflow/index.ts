/** The workflow domain: document schema, validation, compilation, templates, import/export. */
export * from "./compile.ts";
export * from "./examples.ts";
export * from "./io.ts";
export * from "./schema.ts";
export * from "./templates.ts";
export * from "./tool-catalog.ts";
export * from "./validate.ts";
