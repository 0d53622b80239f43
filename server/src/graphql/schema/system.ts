import type { ModelPrice } from "../../domain/pricing/pricing.ts";
import type { ProviderInfo } from "../../providers/registry.ts";
import { checkWorkflow, removeProviderBinding, setProviderBinding } from "../../services/workflows.ts";
import type { VersionInfo } from "../../version.ts";
import { builder } from "../builder.ts";
import { existingId } from "../ids.ts";
import { Deleted, InvalidWorkflowError, NotFoundError, ValidationIssueType } from "./errors.ts";

const Version = builder.objectRef<VersionInfo>("Version").implement({
  description: "The running FlowTrace build.",
  fields: (t) => ({
    name: t.exposeString("name"),
    version: t.exposeString("version"),
    gitSha: t.exposeString("gitSha", { description: "Git commit of the build, or `unknown`." }),
  }),
});

const Provider = builder.objectRef<ProviderInfo>("Provider").implement({
  description: "An LLM provider this server can call. Keys are never exposed.",
  fields: (t) => ({
    name: t.exposeString("name"),
    api: t.exposeString("api", { description: "openai or anthropic (wire protocol)." }),
    simulated: t.exposeBoolean("simulated", { description: "Calls go to the built-in simulator." }),
    configured: t.exposeBoolean("configured", { description: "A key or base URL is set." }),
  }),
});

const ModelPriceRef = builder.objectRef<{ key: string; price: ModelPrice; aliases: string[] }>("ModelPrice").implement({
  description: "List price in USD per 1M tokens for one provider/model.",
  fields: (t) => ({
    provider: t.string({ resolve: (m) => m.key.split("/")[0] ?? "" }),
    model: t.string({ resolve: (m) => m.key.slice(m.key.indexOf("/") + 1) }),
    aliases: t.stringList({ resolve: (m) => m.aliases }),
    inputUsdPerMTok: t.field({ type: "Decimal", resolve: (m) => m.price.input }),
    cachedInputUsdPerMTok: t.field({ type: "Decimal", nullable: true, resolve: (m) => m.price.cachedInput ?? null }),
    cacheWriteUsdPerMTok: t.field({ type: "Decimal", nullable: true, resolve: (m) => m.price.cacheWrite ?? null }),
    outputUsdPerMTok: t.field({ type: "Decimal", resolve: (m) => m.price.output }),
    source: t.string({ nullable: true, resolve: (m) => m.price.source ?? null }),
  }),
});

const PriceMapRef = builder
  .objectRef<{ asOf: string; models: { key: string; price: ModelPrice; aliases: string[] }[] }>("PriceMap")
  .implement({
    fields: (t) => ({
      asOf: t.exposeString("asOf"),
      models: t.field({ type: [ModelPriceRef], resolve: (p) => p.models }),
    }),
  });

export const ProviderBindingType = builder.prismaObject("ProviderBinding", {
  description: "Per-workflow override of the model and temperature used for one provider.",
  fields: (t) => ({
    id: t.exposeID("id"),
    workflowId: t.exposeID("workflowId"),
    provider: t.exposeString("provider"),
    model: t.exposeString("model"),
    temperature: t.exposeFloat("temperature", { nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

builder.queryFields((t) => ({
  version: t.field({ type: Version, resolve: (_root, _args, ctx) => ctx.deps.version() }),
  providers: t.field({ type: [Provider], resolve: (_root, _args, ctx) => ctx.deps.providers() }),
  pricing: t.field({
    type: PriceMapRef,
    description: "The active price map.",
    resolve: (_root, _args, ctx) => {
      const aliases = ctx.deps.prices.aliases();
      return {
        asOf: ctx.deps.prices.asOf,
        models: ctx.deps.prices.entries().map(([key, price]) => ({
          key,
          price,
          aliases: Object.entries(aliases)
            .filter(([, target]) => target === key)
            .map(([alias]) => alias.slice(alias.indexOf("/") + 1)),
        })),
      };
    },
  }),
}));

const bindingDeps = (ctx: { deps: import("../builder.ts").GraphQLDeps }) => ({
  prisma: ctx.deps.prisma,
  providerNames: () => ctx.deps.providers().map((p) => p.name),
});

builder.queryFields((t) => ({
  validateWorkflow: t.field({
    type: [ValidationIssueType],
    description: "Validate a document without saving it; an empty list means it is valid.",
    args: { graph: t.arg({ type: "JSON", required: true }) },
    resolve: (_root, { graph }, ctx) => checkWorkflow(bindingDeps(ctx), graph),
  }),
}));

builder.mutationFields((t) => ({
  setProviderBinding: t.prismaField({
    type: "ProviderBinding",
    errors: { types: [InvalidWorkflowError, NotFoundError] },
    args: {
      workflowId: t.arg.id({ required: true }).validate(existingId("workflow")),
      provider: t.arg.string({ required: true }),
      model: t.arg.string({ required: true }),
      temperature: t.arg.float({ required: false }),
    },
    resolve: (_query, _root, args, ctx) =>
      setProviderBinding(bindingDeps(ctx), {
        workflowId: args.workflowId,
        provider: args.provider,
        model: args.model,
        temperature: args.temperature ?? null,
      }),
  }),
  removeProviderBinding: t.field({
    type: Deleted,
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id({ required: true }).validate(existingId("provider binding")) },
    resolve: async (_root, { id }, ctx) => ({ id: (await removeProviderBinding(bindingDeps(ctx), id)).id }),
  }),
}));
