/** The workflow document's schema and types: declared once in the contract package, shared with the dashboard. */
export * from "@flowtrace/contract/workflow";
