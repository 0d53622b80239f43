/**
 * The code node's sandbox under attack: each attempt to reach the host (process, require, import,
 * the host's constructors, prototype pollution), to exhaust it (infinite loops, memory bombs, deep
 * recursion, huge outputs) or to return something that is not JSON is refused with a clear error —
 * and the process running it is unharmed (its own prototypes untouched, the next job answers).
 */
import { afterAll, describe, expect, it } from "vitest";
import { type CodeJob, createSandbox } from "../../src/sandbox/sandbox.ts";

const sandbox = createSandbox();
afterAll(() => sandbox.close());

const job = (source: string, extra: Partial<CodeJob> = {}): CodeJob => ({
  source,
  input: { rows: [{ amount: 50 }, { amount: 150 }] },
  inputs: {},
  node: {},
  seed: 7,
  clock: 1_700_000_000_000,
  timeoutMs: 1_000,
  memoryMb: 32,
  ...extra,
});

async function refused(source: string, extra: Partial<CodeJob> = {}) {
  const outcome = await sandbox.run(job(source, extra));
  expect(outcome.ok, `${source} → ${JSON.stringify(outcome)}`).toBe(false);
  return outcome as Extract<typeof outcome, { ok: false }>;
}

async function value(source: string) {
  const outcome = await sandbox.run(job(source));
  expect(outcome.ok, `${source} → ${JSON.stringify(outcome)}`).toBe(true);
  return (outcome as Extract<typeof outcome, { ok: true }>).output;
}

describe("the code sandbox", () => {
  it("finds no host: no process, require, module, Buffer, fetch or timers; Function gives only sandbox functions", async () => {
    expect(await value("return [typeof process, typeof require, typeof module, typeof Buffer, typeof fetch]")).toEqual([
      "undefined",
      "undefined",
      "undefined",
      "undefined",
      "undefined",
    ]);
    expect(
      await value("return [typeof setTimeout, typeof XMLHttpRequest, typeof WebAssembly, typeof globalThis.std]"),
    ).toEqual(["undefined", "undefined", "undefined", "undefined"]);
    expect(await value("return constructor.constructor('return typeof process')()")).toBe("undefined");
    expect(await value("return (function(){ return this })() === undefined")).toBe(true);
    expect(await value("return Function('return typeof globalThis.process')()")).toBe("undefined");
    const names = (await value("return Object.getOwnPropertyNames(globalThis)")) as string[];
    for (const hostName of ["process", "require", "module", "exports", "__dirname", "global", "os", "std"]) {
      expect(names).not.toContain(hostName);
    }
  });

  it("cannot load modules: import() and require are refused", async () => {
    const imported = await refused("return import('node:fs')");
    expect(imported.message).toContain("a Promise at $: code runs synchronously (no await, no import())");
    expect((await refused("return require('fs')")).message).toBe("ReferenceError: 'require' is not defined");
    expect((await refused("import fs from 'fs'; return 1")).message).toMatch(/SyntaxError/);
  });

  it("prototype pollution stays in the sandbox: the host's Object.prototype is untouched", async () => {
    await value("Object.prototype.polluted = 'yes'; Array.prototype.map = null; return 1");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect([1].map((x) => x + 1)).toEqual([2]);
    // The next job gets a fresh context too.
    expect(await value("return [typeof ({}).polluted, typeof [].map]")).toEqual(["undefined", "function"]);
  });

  it("stops an infinite loop at timeoutMs, a memory bomb at memoryMb, and deep recursion, each saying which", async () => {
    const loop = await refused("while (true) {}", { timeoutMs: 200 });
    expect(loop).toMatchObject({ kind: "timeout", message: "the code ran longer than 200 ms and was stopped" });
    const bomb = await refused("const a = []; while (true) a.push(new Array(1e5).fill(a.length))", {
      memoryMb: 16,
      timeoutMs: 3000,
    });
    expect(bomb).toMatchObject({ kind: "memory", message: "the code used more than 16 MB and was stopped" });
    const big = await refused("return new ArrayBuffer(64 * 1024 * 1024).byteLength", { memoryMb: 16 });
    expect(big.kind).toBe("memory");
    expect((await refused("function f(n) { return f(n + 1) + 1 } return f(0)")).message).toBe(
      "the code recursed too deeply (stack overflow)",
    );
  });

  it("refuses huge outputs and results that are not JSON, naming where", async () => {
    expect((await refused("return 'x'.repeat(2 * 1024 * 1024)", { memoryMb: 64 })).kind).toBe("output");
    expect((await refused("return () => 1")).message).toContain("a function at $");
    expect((await refused("return undefined")).message).toContain("undefined at $");
    expect((await refused("return { a: [1, NaN] }")).message).toContain("NaN at $.a[1]");
    expect((await refused("return new Map()")).message).toContain("non-plain object at $");
    expect((await refused("return 10n")).message).toContain("a bigint at $");
    expect((await refused("const o = {}; o.self = o; return o")).message).toMatch(/deeper than 200|cycl/);
    expect((await refused("let o = {}; for (let i = 0; i < 300; i++) o = { o }; return o")).message).toContain(
      "deeper than 200",
    );
  });

  it("is deterministic: Math.random by seed, Date fixed; and the worker answers the next job after all this", async () => {
    const a = await value("return [Math.random(), Math.random(), Date.now(), new Date().toISOString()]");
    const b = await value("return [Math.random(), Math.random(), Date.now(), new Date().toISOString()]");
    expect(a).toEqual(b);
    expect((a as unknown[])[3]).toBe("2023-11-14T22:13:20.000Z");
    const other = await sandbox.run(job("return Math.random()", { seed: 8 }));
    expect(other.ok && other.output).not.toBe((a as number[])[0]);
    expect(await value("return input.rows.filter(r => r.amount > 100).length")).toBe(1);
  });
});
