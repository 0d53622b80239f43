import type { VersionInfo } from "../../version.ts";
import { builder } from "../builder.ts";

const Version = builder.objectRef<VersionInfo>("Version").implement({
  description: "The running FlowTrace build.",
  fields: (t) => ({
    name: t.exposeString("name"),
    version: t.exposeString("version"),
    gitSha: t.exposeString("gitSha", { description: "Git commit of the build, or `unknown`." }),
  }),
});

builder.queryField("version", (t) => t.field({ type: Version, resolve: (_root, _args, ctx) => ctx.deps.version() }));
