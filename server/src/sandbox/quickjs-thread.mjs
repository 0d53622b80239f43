// One sandbox thread: runs a code step's JavaScript in a fresh QuickJS (WebAssembly) context per
// job — memory limit, stack limit and a deadline from the job, no host function of any kind inside.
// Plain JavaScript because it runs in a bare worker thread, without the TypeScript loader.
import { parentPort } from "node:worker_threads";
import { getQuickJS, shouldInterruptAfterDeadline } from "quickjs-emscripten";

const quickjs = await getQuickJS();

/** Sets Math.random (seeded), Date (fixed clock) and console (lines kept), and the result check. */
function prelude(seed, clock) {
  return `"use strict";
const __stringify = JSON.stringify;
const __logs = [];
(() => {
  let s = ${seed} >>> 0;
  Math.random = function random() {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const RealDate = Date;
  function FixedDate(...a) {
    if (!new.target) return new RealDate(${clock}).toString();
    return a.length ? new RealDate(...a) : new RealDate(${clock});
  }
  FixedDate.prototype = RealDate.prototype;
  FixedDate.now = () => ${clock};
  FixedDate.parse = RealDate.parse;
  FixedDate.UTC = RealDate.UTC;
  globalThis.Date = FixedDate;
  const text = (v) => (typeof v === "string" ? v : (() => { try { return __stringify(v); } catch { return String(v); } })());
  const line = (level) => (...args) => { if (__logs.length < 1000) __logs.push({ level, message: args.map(text).join(" ").slice(0, 10000) }); };
  globalThis.console = { log: line("info"), info: line("info"), debug: line("debug"), warn: line("warn"), error: line("error") };
})();
function __check(v, path, depth) {
  if (depth > 200) throw new TypeError("the result nests deeper than 200 levels at " + path);
  if (v === null || typeof v === "string" || typeof v === "boolean") return;
  if (typeof v === "number") { if (!Number.isFinite(v)) throw new TypeError("the result holds " + v + " at " + path + ", which JSON cannot carry"); return; }
  if (Array.isArray(v)) { for (let i = 0; i < v.length; i++) __check(v[i], path + "[" + i + "]", depth + 1); return; }
  if (typeof v === "object" && v instanceof Promise) throw new TypeError("the result is a Promise at " + path + ": code runs synchronously (no await, no import())");
  if (typeof v === "object") {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) throw new TypeError("the result holds a non-plain object at " + path + " (return plain objects, arrays, strings, numbers, booleans or null)");
    for (const k of Object.keys(v)) __check(v[k], path + "." + k, depth + 1);
    return;
  }
  throw new TypeError("the result holds " + (v === undefined ? "undefined" : "a " + typeof v) + " at " + path + ", which is not JSON");
}
`;
}

function program(job) {
  const data = JSON.stringify({ input: job.input, inputs: job.inputs, node: job.node });
  return `${prelude(job.seed, job.clock)}
const __data = JSON.parse(${JSON.stringify(data)});
const __result = (function (input, inputs, node) {
"use strict";
${job.source}
}).call(undefined, __data.input, __data.inputs, __data.node);
__check(__result, "$", 0);
__stringify({ result: __stringify(__result), logs: __logs });`;
}

/** What a QuickJS error means for the step: a timeout, the memory limit, or the code's own error. */
function failure(error, job) {
  const message = `${error?.name ?? "Error"}: ${error?.message ?? String(error)}`;
  if (/interrupted/i.test(message))
    return { kind: "timeout", message: `the code ran longer than ${job.timeoutMs} ms and was stopped` };
  if (/out of memory/i.test(message) || error === null)
    return { kind: "memory", message: `the code used more than ${job.memoryMb} MB and was stopped` };
  if (/stack overflow/i.test(message))
    return { kind: "error", message: "the code recursed too deeply (stack overflow)" };
  return { kind: "error", message: message.slice(0, 2000) };
}

/** The runtime's allocated bytes (QuickJS's own count). */
function usedBytes(runtime, vm) {
  const handle = runtime.computeMemoryUsage();
  try {
    return vm.dump(handle).memory_used_size ?? 0;
  } finally {
    handle.dispose();
  }
}

/**
 * Stops at the deadline, and — checked every 64th call — near the memory limit: QuickJS collects
 * garbage before every allocation that would pass the limit, so a program that keeps growing
 * slows to a crawl there instead of failing; it is stopped as over its memory instead.
 */
function interruptHandler(runtime, vm, job, verdict) {
  const pastDeadline = shouldInterruptAfterDeadline(Date.now() + job.timeoutMs);
  const limit = job.memoryMb * 1024 * 1024;
  let calls = 0;
  return (rt) => {
    if (++calls % 64 === 0 && usedBytes(runtime, vm) > limit * 0.95) verdict.memory = true;
    if (!verdict.memory && pastDeadline(rt) && usedBytes(runtime, vm) > limit * 0.85) verdict.memory = true;
    return verdict.memory || pastDeadline(rt);
  };
}

function run(job) {
  const runtime = quickjs.newRuntime();
  runtime.setMemoryLimit(job.memoryMb * 1024 * 1024);
  runtime.setMaxStackSize(512 * 1024);
  const vm = runtime.newContext();
  const verdict = { memory: false };
  runtime.setInterruptHandler(interruptHandler(runtime, vm, job, verdict));
  try {
    const r = vm.evalCode(program(job), "code.js", { type: "global" });
    if (r.error) {
      const error = vm.dump(r.error);
      r.error.dispose();
      return { ok: false, ...failure(verdict.memory ? null : error, job) };
    }
    const out = vm.getString(r.value);
    r.value.dispose();
    return { ok: true, out };
  } catch (error) {
    return { ok: false, ...failure(error, job) };
  } finally {
    try {
      vm.dispose();
      runtime.dispose();
    } catch {
      /* a runtime out of memory may refuse to clean up */
    }
  }
}

parentPort.on("message", (job) => parentPort.postMessage({ id: job.id, ...run(job) }));
parentPort.postMessage({ ready: true });
