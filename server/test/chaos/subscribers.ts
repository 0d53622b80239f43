/**
 * Live trace subscribers for the chaos tests, written the way a careful client is: they resume after
 * any drop from the last seq they saw (REST SSE: `Last-Event-ID`; graphql-sse: `afterSeq`), and they
 * record everything they receive, duplicates included, so a test can prove there were none.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient } from "graphql-sse";
import { traceEvents } from "../../src/http/sse-client.ts";
import { createRedis } from "../../src/realtime/redis.ts";
import { freePort } from "../helpers/process.ts";

export interface Collected {
  seqs: number[];
  reconnects: number;
  done: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Read `/api/runs/:id/stream` until `run.finished`. `dropAfterMs()` (optional) returns how long to
 * keep each connection before cutting it on purpose, or null to keep it.
 */
export async function collectSse(
  baseUrl: string | (() => string),
  runId: string,
  options: { token?: string; dropAfterMs?: () => number | null; deadlineMs?: number } = {},
): Promise<Collected> {
  const out: Collected = { seqs: [], reconnects: -1, done: false };
  const deadline = Date.now() + (options.deadlineMs ?? 120_000);
  while (!out.done && Date.now() < deadline) {
    out.reconnects++;
    const controller = new AbortController();
    const dropMs = options.dropAfterMs?.() ?? null;
    const timer = dropMs !== null ? setTimeout(() => controller.abort(), dropMs) : undefined;
    try {
      const last = out.seqs.at(-1);
      const base = typeof baseUrl === "function" ? baseUrl() : baseUrl;
      const res = await fetch(`${base}/api/runs/${runId}/stream`, {
        signal: controller.signal,
        headers: {
          accept: "text/event-stream",
          ...(last !== undefined ? { "last-event-id": String(last) } : {}),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
      });
      if (res.status === 204) {
        out.done = true; // nothing after the last event read: the trace had ended
        break;
      }
      if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
      // Only stored trace events count; `delta` events are ephemeral partial output.
      for await (const event of traceEvents(res)) {
        out.seqs.push(event.seq);
        if (event.kind === "run.finished") {
          out.done = true;
          break;
        }
      }
    } catch {
      // dropped (on purpose or not): resume below
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
    if (!out.done) await sleep(50 + Math.random() * 100);
  }
  return out;
}

/** `runEvents` over graphql-sse with the official client, resubscribing with `afterSeq` after a drop. */
export async function collectGraphqlSse(
  baseUrl: string,
  runId: string,
  options: { token?: string; dropAfterMs?: () => number | null; deadlineMs?: number } = {},
): Promise<Collected> {
  const out: Collected = { seqs: [], reconnects: -1, done: false };
  const deadline = Date.now() + (options.deadlineMs ?? 120_000);
  while (!out.done && Date.now() < deadline) {
    out.reconnects++;
    const client = createClient({
      url: `${baseUrl}/graphql/stream`,
      retryAttempts: 0,
      ...(options.token ? { headers: { authorization: `Bearer ${options.token}` } } : {}),
    });
    const dropMs = options.dropAfterMs?.() ?? null;
    const iterator = client.iterate<{ runEvents: { seq: number; kind: string } }>({
      query: "subscription($r: ID!, $a: Int) { runEvents(runId: $r, afterSeq: $a) { seq kind } }",
      variables: { r: runId, a: out.seqs.at(-1) ?? 0 },
    });
    const timer = dropMs !== null ? setTimeout(() => void iterator.return?.(), dropMs) : undefined;
    try {
      for await (const result of iterator) {
        const e = result.data?.runEvents;
        if (!e) continue;
        out.seqs.push(e.seq);
        if (e.kind === "run.finished") {
          out.done = true;
          break;
        }
      }
    } catch {
      // dropped: resume below
    } finally {
      clearTimeout(timer);
      client.dispose();
    }
    if (!out.done) await sleep(50 + Math.random() * 100);
  }
  return out;
}

/**
 * A private redis-server we may kill and restart (the machine's shared one stays untouched), with
 * an append-only file fsynced on every write — how Redis must run under BullMQ so queued jobs
 * survive a restart.
 */
export class RedisServer {
  private child: ChildProcess | null = null;
  port = 0;
  private dir = "";

  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (!this.dir) this.dir = await mkdtemp(path.join(tmpdir(), "ft-redis-"));
    if (!this.port) this.port = await freePort();
    const child = spawn(
      "redis-server",
      [
        "--port",
        String(this.port),
        "--bind",
        "127.0.0.1",
        "--dir",
        this.dir,
        "--save",
        "",
        "--appendonly",
        "yes",
        "--appendfsync",
        "always",
      ],
      { stdio: "ignore" },
    );
    this.child = child;
    const probe = createRedis(this.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 1 });
    probe.on("error", () => {});
    for (let i = 0; i < 100; i++) {
      try {
        if (probe.status !== "ready") await probe.connect();
        await probe.ping();
        probe.disconnect();
        return;
      } catch {
        probe.disconnect();
        await sleep(50);
      }
    }
    throw new Error(`redis-server did not start on port ${this.port}`);
  }

  /** SIGKILL: a crash, not a polite shutdown. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await exited;
  }

  /** Forget everything it kept on disk (call while stopped): the next start is an empty Redis. */
  async wipe(): Promise<void> {
    if (this.child) throw new Error("wipe() needs a stopped redis-server");
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
    this.dir = "";
  }

  async close(): Promise<void> {
    await this.kill();
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}
