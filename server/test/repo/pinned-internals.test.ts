// Dependencies FlowTrace reaches into are pinned, and this fails loudly when what it uses moves.
import { readFileSync } from "node:fs";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import { describe, expect, it } from "vitest";

const serverPackage = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  dependencies: Record<string, string>;
};
// Read from node_modules directly: not every package exports its package.json.
const installed = (name: string) =>
  (
    JSON.parse(readFileSync(new URL(`../../../node_modules/${name}/package.json`, import.meta.url), "utf8")) as {
      version: string;
    }
  ).version;

describe("pinned internals", () => {
  it("the batched checkpointer's base saver is the pinned version and still has the helpers it calls", () => {
    const pinned = serverPackage.dependencies["@langchain/langgraph-checkpoint-postgres"];
    expect(pinned, "pin it exactly: engine/checkpointer.ts uses the saver's protected _dump* helpers").toMatch(
      /^\d+\.\d+\.\d+$/,
    );
    expect(installed("@langchain/langgraph-checkpoint-postgres")).toBe(pinned);
    const proto = PostgresSaver.prototype as unknown as Record<string, unknown>;
    for (const helper of ["_dumpBlobs", "_dumpMetadata", "_dumpCheckpoint", "_dumpWrites"]) {
      expect(typeof proto[helper], `PostgresSaver.${helper} (used by engine/checkpointer.ts)`).toBe("function");
    }
  });

  it("@hono/node-server stays on the minor the body limit's workarounds were written for", () => {
    const pinned = serverPackage.dependencies["@hono/node-server"] ?? "";
    expect(pinned, "pin the minor: http/body-limit.ts depends on how it drains and destroys sockets").toMatch(
      /^~\d+\.\d+\.\d+$/,
    );
    const [major, minor] = pinned.slice(1).split(".");
    expect(installed("@hono/node-server")).toMatch(new RegExp(`^${major}\\.${minor}\\.`));
  });
});
