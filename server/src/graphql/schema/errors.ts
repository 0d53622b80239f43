/** Expected failures are part of the schema (typed results), not generic error strings. */
import { ConflictError, InvalidRequestError, InvalidWorkflowError, NotFoundError } from "../../services/runs.ts";
import { builder } from "../builder.ts";

export { ConflictError, InvalidRequestError };

export const ValidationIssueType = builder.objectRef<{ path: string; message: string }>("ValidationIssue").implement({
  description: "One problem with a workflow document: a JSON path (`nodes[2].config.model`) and a sentence.",
  fields: (t) => ({ path: t.exposeString("path"), message: t.exposeString("message") }),
});

builder.objectType(InvalidWorkflowError, {
  name: "ValidationError",
  description: "The workflow document is invalid; nothing was saved.",
  fields: (t) => ({
    message: t.exposeString("message"),
    issues: t.field({ type: [ValidationIssueType], resolve: (e) => e.issues }),
  }),
});

builder.objectType(InvalidRequestError, {
  name: "InvalidRequestError",
  description: "The request asks for something impossible (an unknown node, say); issues name the fields.",
  fields: (t) => ({
    message: t.exposeString("message"),
    issues: t.field({ type: [ValidationIssueType], resolve: (e) => e.issues }),
  }),
});

builder.objectType(NotFoundError, {
  name: "NotFoundError",
  description: "The object does not exist (or was deleted).",
  fields: (t) => ({ message: t.exposeString("message") }),
});

builder.objectType(ConflictError, {
  name: "ConflictError",
  description: "The request conflicts with the object's state (e.g. canceling a finished run).",
  fields: (t) => ({ message: t.exposeString("message") }),
});

/** What a delete mutation answers: the id of the object that no longer exists. */
export const Deleted = builder.objectRef<{ id: string }>("Deleted").implement({
  description: "The object was deleted.",
  fields: (t) => ({ id: t.exposeID("id") }),
});

export { InvalidWorkflowError, NotFoundError };
