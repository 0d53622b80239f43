/**
 * Runs code steps' JavaScript in QuickJS compiled to WebAssembly (quickjs-emscripten), each job in a
 * fresh context on a worker thread of this process (quickjs-thread.mjs).
 *
 * Why QuickJS in WebAssembly rather than isolated-vm: the sandbox holds no host object at all (the
 * code sees JSON in, returns JSON out; console lines are collected inside), so there is nothing of
 * V8 or Node to reach; memory and time limits are the interpreter's own; and it needs no native
 * build (isolated-vm compiles against each Node version). Why a thread: a job that spins until its
 * deadline must not stall the worker's event loop (job locks, heartbeats, other runs). A thread that
 * does not answer within its deadline plus a margin is terminated and replaced.
 */
import { Worker } from "node:worker_threads";

export interface CodeJob {
  source: string;
  input: unknown;
  inputs: unknown;
  node: Record<string, { output: unknown }>;
  /** Math.random's seed and Date's fixed time (ms), so the same step computes the same thing. */
  seed: number;
  clock: number;
  timeoutMs: number;
  memoryMb: number;
}

export interface CodeLog {
  level: "debug" | "info" | "warn" | "error";
  message: string;
}

export type CodeOutcome =
  | { ok: true; output: unknown; logs: CodeLog[] }
  | { ok: false; kind: "timeout" | "memory" | "error" | "output"; message: string };

export interface Sandbox {
  run(job: CodeJob, signal?: AbortSignal): Promise<CodeOutcome>;
  close(): Promise<void>;
}

/** The largest result a code step may return (as JSON). */
export const MAX_OUTPUT_BYTES = 1024 * 1024;
const IDLE_THREADS = 2;
const MARGIN_MS = 2_000;
const THREAD_FILE = new URL("./quickjs-thread.mjs", import.meta.url);

type Answer = { ok: true; out: string } | { ok: false; kind: "timeout" | "memory" | "error"; message: string };

function startThread(): Promise<Worker> {
  return new Promise((resolve, reject) => {
    const thread = new Worker(THREAD_FILE, { execArgv: [], resourceLimits: { maxOldGenerationSizeMb: 512 } });
    thread.unref();
    thread.once("error", reject);
    thread.once("message", () => {
      thread.off("error", reject);
      resolve(thread);
    });
  });
}

/** The thread's answer to one job, or a timeout/cancel (the thread is then terminated). */
function ask(thread: Worker, job: CodeJob, signal?: AbortSignal): Promise<Answer | { lost: string }> {
  return new Promise((resolve) => {
    const done = (a: Answer | { lost: string }) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      thread.off("message", onMessage);
      thread.off("error", onError);
      resolve(a);
    };
    const onMessage = (a: Answer) => done(a);
    const onError = (e: Error) => done({ lost: `the sandbox failed: ${e.message}` });
    const onAbort = () => done({ lost: "canceled" });
    const timer = setTimeout(
      () => done({ lost: `the code ran longer than ${job.timeoutMs} ms and was stopped` }),
      job.timeoutMs + MARGIN_MS,
    );
    thread.on("message", onMessage);
    thread.once("error", onError);
    signal?.addEventListener("abort", onAbort, { once: true });
    thread.postMessage(job);
  });
}

function outcomeOf(answer: Answer): CodeOutcome {
  if (!answer.ok) return answer;
  if (answer.out.length > MAX_OUTPUT_BYTES) {
    return { ok: false, kind: "output", message: `the result is larger than ${MAX_OUTPUT_BYTES} bytes as JSON` };
  }
  const { result, logs } = JSON.parse(answer.out) as { result: string; logs: CodeLog[] };
  if (result.length > MAX_OUTPUT_BYTES) {
    return { ok: false, kind: "output", message: `the result is larger than ${MAX_OUTPUT_BYTES} bytes as JSON` };
  }
  return { ok: true, output: JSON.parse(result), logs };
}

export function createSandbox(): Sandbox {
  const idle: Worker[] = [];
  return {
    async run(job, signal) {
      if (signal?.aborted) throw signal.reason;
      const thread = idle.pop() ?? (await startThread());
      const answer = await ask(thread, job, signal);
      if ("lost" in answer) {
        await thread.terminate();
        if (signal?.aborted) throw signal.reason;
        return { ok: false, kind: "timeout", message: answer.lost };
      }
      if (idle.length < IDLE_THREADS) idle.push(thread);
      else void thread.terminate();
      return outcomeOf(answer);
    },
    async close() {
      await Promise.all(idle.splice(0).map((t) => t.terminate()));
    },
  };
}

/** The process's sandbox threads, shared by its runs. */
export const PROCESS_SANDBOX: Sandbox = createSandbox();
