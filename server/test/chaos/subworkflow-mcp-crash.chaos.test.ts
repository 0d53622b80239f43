/**
 * A worker killed while a sub-workflow's run and an MCP call are both in flight: a worker process
 * (BullMQ on the real Redis, the real PostgreSQL, the real SDKs against the simulator, the
 * reference "everything" MCP server over stdio) runs a parent whose two branches are a sub-workflow
 * (its model call takes 1.5 s) and a slow MCP tool (3 s). It is SIGKILLed when both have started.
 * A second worker resumes both: one child run only (resumed, not started again), the child's model
 * call billed once, both traces gap-free, and the parent succeeds with both results.
 */
import { createRequire } from "node:module";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { mcpConfigAad } from "../../src/mcp/targets.ts";
import { createBullmqQueue } from "../../src/queue/bullmq-queue.ts";
import type { JobQueue } from "../../src/queue/queue.ts";
import { createKeyring } from "../../src/secrets/keyring.ts";
import { uniqueName } from "../helpers/db.ts";
import { type Proc, startProcess, TEST_SECRET_KEY } from "../helpers/process.ts";
import {
  billedCallsByRequest,
  chaosEnvironment,
  createRun,
  expectCompleteTrace,
  providerEnv,
  waitAllFinished,
} from "./harness.ts";

const EVERYTHING = createRequire(import.meta.url).resolve("@modelcontextprotocol/server-everything/dist/index.js");
const chaos = chaosEnvironment({ latencyMs: 1_500 });
const prefix = uniqueName("ftsub");
let queue: JobQueue;

beforeAll(async () => {
  queue = createBullmqQueue(inject("redisUrl"), { prefix });
  chaos.onTeardown(() => queue.close());
});

function worker(): Proc {
  const p = startProcess("server/src/main.worker.ts", {
    DATABASE_URL: chaos.db.url,
    REDIS_URL: inject("redisUrl"),
    FLOWTRACE_QUEUE_PREFIX: prefix,
    FLOWTRACE_JOB_LOCK_MS: "1500",
    ...providerEnv(chaos.sim),
  });
  chaos.procs.push(p);
  return p;
}

async function registerEverything() {
  const project = await chaos.prisma.project.findUniqueOrThrow({ where: { name: "default" } });
  const sealed = createKeyring(Buffer.from(TEST_SECRET_KEY, "base64")).seal(
    JSON.stringify({ env: {}, headers: {} }),
    mcpConfigAad(project.id, "ev"),
  );
  await chaos.prisma.mcpServer.create({
    data: {
      projectId: project.id,
      name: "ev",
      transport: "stdio",
      command: process.execPath,
      args: [EVERYTHING, "stdio"],
      sealedConfig: sealed.ciphertext,
      sealedKeyId: sealed.keyId,
      createdBy: "test",
    },
  });
  return project.id;
}

async function childWorkflow(projectId: string) {
  const graph = {
    version: "1",
    entry: "write",
    nodes: [
      {
        id: "write",
        type: "llm",
        name: "Write",
        config: {
          provider: "openai",
          model: "gpt-4o-mini",
          prompt: "Write about {{input.topic}}",
          cache: false,
          fallbacks: [],
        },
      },
    ],
    edges: [],
  };
  return (await chaos.prisma.workflow.create({ data: { projectId, name: "child", graphJson: graph } })).id;
}

const parent = (child: string) => ({
  version: "1",
  entry: "start",
  parallel: true,
  nodes: [
    { id: "start", type: "code", name: "Start", config: { source: "return input.topic" } },
    {
      id: "sub",
      type: "workflow",
      name: "Sub",
      config: { workflow: child, inputs: { topic: "{{node.start.output}}" } },
    },
    {
      id: "slow",
      type: "tool",
      name: "Slow",
      config: { mcp: "ev", tool: "trigger-long-running-operation", args: { duration: 3, steps: 3 } },
    },
  ],
  edges: [
    { from: "start", to: "sub" },
    { from: "start", to: "slow" },
  ],
});

async function bothInFlight(runId: string) {
  for (;;) {
    const child = await chaos.prisma.workflowRun.findFirst({ where: { parentRunId: runId } });
    const asked = child ? await chaos.prisma.traceEvent.count({ where: { runId: child.id, kind: "llm.request" } }) : 0;
    const mcp = await chaos.prisma.traceEvent.count({
      where: {
        runId,
        kind: "tool.request",
        payload: { path: ["tool"], equals: "mcp:ev/trigger-long-running-operation" },
      },
    });
    if (asked > 0 && mcp > 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("a worker killed while a sub-workflow and an MCP call are in flight", () => {
  it("resumes both: one child run, its model call billed once, both traces whole", async () => {
    const projectId = await registerEverything();
    const child = await childWorkflow(projectId);
    const first = worker();
    await first.waitFor(/worker started/);
    const runId = await createRun(chaos.prisma, queue, parent(child), { topic: "otters" });
    await bothInFlight(runId);
    expect(await first.stop("SIGKILL")).toBeNull();
    const second = worker();
    await second.waitFor(/worker started/);
    const [run] = await waitAllFinished(chaos.prisma, [runId], 90_000);
    expect([run?.status, run?.errorSummary]).toEqual(["succeeded", null]);
    const children = await chaos.prisma.workflowRun.findMany({ where: { parentRunId: runId } });
    expect(children.map((c) => c.status)).toEqual(["succeeded"]);
    await expectCompleteTrace(chaos.prisma, runId);
    await expectCompleteTrace(chaos.prisma, children[0]?.id ?? "");
    const billed = billedCallsByRequest(chaos.sim.calls);
    expect([...billed.values()]).toEqual([1]);
    const slow = await chaos.prisma.runStep.findFirstOrThrow({ where: { runId, nodeId: "slow" } });
    expect(String(slow.output)).toContain("Long running operation completed");
    console.info(
      `[chaos] sub-workflow + MCP crash: killed with both in flight; 1 child run resumed, ${chaos.sim.calls.length} simulator calls, 1 billed`,
    );
  });
});
