import { builder } from "../builder.ts";

export const WorkflowType = builder.prismaObject("Workflow", {
  description: "A saved workflow document (spec §3) with its metadata.",
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    description: t.exposeString("description", { nullable: true }),
    graphJson: t.expose("graphJson", { type: "JSON", description: "The workflow document." }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

builder.queryField("workflow", (t) =>
  t.prismaField({
    type: "Workflow",
    nullable: true,
    description: "One workflow by id, or null when it does not exist.",
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, ctx) =>
      UUID.test(String(id)) ? ctx.deps.prisma.workflow.findUnique({ ...query, where: { id: String(id) } }) : null,
  }),
);
