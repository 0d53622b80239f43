/**
 * The provider simulator in its own process, as a real provider would be (issue 23: benchmarks keep
 * the simulator off the measured process). The parent talks to it over the IPC channel only to set
 * latency; every LLM call goes over HTTP through the real SDKs.
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Simulator } from "../server/src/providers/simulator/simulator.ts";

export type RemoteSimulator = Pick<Simulator, "url" | "openaiBaseUrl" | "anthropicBaseUrl" | "close"> & {
  setLatency(latencyMs: number, chunkDelayMs?: number): Promise<void>;
};

type Reply = { type: "ready"; url: string; openaiBaseUrl: string; anthropicBaseUrl: string } | { type: "ok" };

const CHILD = fileURLToPath(new URL("./sim-child.ts", import.meta.url));

export async function startRemoteSimulator(latencyMs = 0): Promise<RemoteSimulator> {
  const child = fork(CHILD, [String(latencyMs)], { execArgv: ["--import", "tsx"], stdio: "inherit" });
  const next = () =>
    new Promise<Reply>((resolve, reject) => {
      child.once("message", (m) => resolve(m as Reply));
      child.once("exit", (code) => reject(new Error(`simulator process exited (${code})`)));
    });
  const ready = await next();
  if (ready.type !== "ready") throw new Error("simulator process did not start");
  return {
    url: ready.url,
    openaiBaseUrl: ready.openaiBaseUrl,
    anthropicBaseUrl: ready.anthropicBaseUrl,
    async setLatency(ms, chunkMs) {
      const reply = next();
      child.send({ type: "latency", latencyMs: ms, chunkDelayMs: chunkMs });
      await reply;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill();
      }),
  };
}
