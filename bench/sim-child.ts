/** Child process of `sim-process.ts`: one provider simulator, controlled over IPC. */
import { startSimulator } from "../server/src/providers/simulator/simulator.ts";

const sim = await startSimulator({ latencyMs: Number(process.argv[2] ?? 0) });
process.on("message", (m: { type: string; latencyMs: number; chunkDelayMs?: number }) => {
  if (m.type === "latency") sim.setLatency(m.latencyMs, m.chunkDelayMs);
  process.send?.({ type: "ok" });
});
process.on("disconnect", () => void sim.close().then(() => process.exit(0)));
process.send?.({
  type: "ready",
  url: sim.url,
  openaiBaseUrl: sim.openaiBaseUrl,
  anthropicBaseUrl: sim.anthropicBaseUrl,
});
