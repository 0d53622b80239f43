/** Re-runs in server mode: BullMQ on Redis and Redis pub/sub, the same reuse as in embedded mode. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { finishedRun, restClient } from "../../test/helpers/rest.ts";
import { type Stack, startStack } from "../../test/helpers/stack.ts";
import { chainOf, llmNode } from "../../test/helpers/workflows.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ redis: true, latencyMs: 5 });
});
afterAll(() => stack.close());

const call = restClient(() => stack.url);

const finished = (runId: string) => finishedRun(call, runId);

describe("re-run in server mode", () => {
  it("reuses upstream steps through the BullMQ queue, and replays with no calls", async () => {
    const doc = chainOf(
      ["a", "b", "c"].map((id, i, all) => llmNode(id, { system: `${id} redis` }, i ? { after: all[i - 1] } : {})),
    );
    const { body: wf } = await call("POST", "/api/workflows", { name: "rerun redis", graph_json: doc });
    const { body: started } = await call("POST", `/api/workflows/${wf.id}/runs`, { input_vars: { topic: "redis" } });
    expect((await finished(started.runId)).status).toBe("succeeded");
    const before = stack.sim.calls.length;
    const rerun = await call("POST", `/api/runs/${started.runId}/rerun`, { from_node: "b" });
    const child = await finished(rerun.body.runId);
    expect(child.status).toBe("succeeded");
    expect(child.steps.find((s: { node_id: string }) => s.node_id === "a")).toMatchObject({
      reused: true,
      cost_cents: "0",
    });
    expect(
      stack.sim.calls
        .slice(before)
        .map((c) => c.system?.split(" ")[0])
        .sort(),
    ).toEqual(["b", "c"]);

    // A re-run of the re-run: `a` was itself reused; it is reused again from there.
    const again = await call("POST", `/api/runs/${child.id}/rerun`, { from_node: "c" });
    expect(again.body.reused).toEqual(["a", "b"]);
    const grandchild = await finished(again.body.runId);
    expect(grandchild.status).toBe("succeeded");

    // Replaying a re-run finds the reused steps' recording in the run they came from.
    const calls = stack.sim.calls.length;
    const replay = await call("POST", `/api/runs/${grandchild.id}/rerun`, { replay: true });
    expect((await finished(replay.body.runId)).status).toBe("succeeded");
    expect(stack.sim.calls.length).toBe(calls);
  });
});
