import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allowEntryFor, parseAllowEntry } from "./allow-list.ts";
import { csvTool, summarizeColumn } from "./csv.ts";
import { httpFetchTool, isAllowed, isPublicAddress } from "./http-fetch.ts";
import { findTool, toolCatalog } from "./registry.ts";
import { transformTool } from "./transform.ts";
import { ToolError } from "./types.ts";

let server: http.Server;
let port: number;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === "/doc") {
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
      res.end("FlowTrace doc ✓");
    } else if (req.url === "/big") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("x".repeat(5_000));
    } else if (req.url === "/slow") {
      setTimeout(() => res.end("late"), 2_000);
    } else if (req.url === "/redirect") {
      res.writeHead(302, { location: "/doc" });
      res.end();
    } else if (req.url === "/redirect-private") {
      res.writeHead(302, { location: "http://10.0.0.1/secret" });
      res.end();
    } else if (req.url === "/fail") {
      res.writeHead(503);
      res.end("busy");
    } else {
      res.writeHead(404);
      res.end("nope");
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const run = (url: string, allow: string[] = [], extra: Record<string, unknown> = {}) =>
  httpFetchTool.run(httpFetchTool.argsSchema.parse({ url, ...extra }), {
    signal: new AbortController().signal,
    fetchAllow: allow,
  });

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected the tool to fail");
    },
    (e: ToolError) => e,
  );

describe("http.fetch", () => {
  it("refuses loopback targets unless FLOWTRACE_FETCH_ALLOW lists them", async () => {
    await expect(run(`http://127.0.0.1:${port}/doc`)).rejects.toThrow(
      `refusing to fetch http://127.0.0.1:${port}: 127.0.0.1 is a loopback address; allow it with FLOWTRACE_FETCH_ALLOW=127.0.0.1:${port}`,
    );
    await expect(run(`http://localhost:${port}/doc`)).rejects.toThrow(/loopback address/);
    const ok = await run(`http://127.0.0.1:${port}/doc`, [`127.0.0.1:${port}`]);
    expect(ok).toMatchObject({ content: "FlowTrace doc ✓", status: 200, contentType: "text/plain; charset=utf-8" });
  });

  it("accepts CIDR and host entries, and checks the port", async () => {
    await expect(run(`http://127.0.0.1:${port}/doc`, ["127.0.0.0/8"])).resolves.toMatchObject({ status: 200 });
    await expect(run(`http://localhost:${port}/doc`, ["localhost"])).resolves.toMatchObject({ status: 200 });
    await expect(run(`http://127.0.0.1:${port}/doc`, ["127.0.0.1:1"])).rejects.toThrow(/loopback/);
  });

  it("re-checks every redirect hop", async () => {
    const allow = [`127.0.0.1:${port}`];
    await expect(run(`http://127.0.0.1:${port}/redirect`, allow)).resolves.toMatchObject({
      content: "FlowTrace doc ✓",
    });
    await expect(run(`http://127.0.0.1:${port}/redirect-private`, allow)).rejects.toThrow(
      /10\.0\.0\.1 is a private address/,
    );
  });

  it("limits size and time, and marks server errors as transient", async () => {
    const allow = [`127.0.0.1:${port}`];
    await expect(run(`http://127.0.0.1:${port}/big`, allow, { maxBytes: 1000 })).rejects.toThrow(
      /exceeds maxBytes \(1000\)/,
    );
    const slow = await failure(run(`http://127.0.0.1:${port}/slow`, allow, { timeoutMs: 200 }));
    expect(slow).toBeInstanceOf(ToolError);
    expect(slow.message).toMatch(/timed out after 200 ms/);
    expect(slow.transient).toBe(true);
    const fail = await failure(run(`http://127.0.0.1:${port}/fail`, allow));
    expect(fail.message).toMatch(/answered 503/);
    expect(fail.transient).toBe(true);
  });

  it("fails on a status it was not told to accept (a 404 is not a result), unless acceptStatus lists it", async () => {
    const allow = [`127.0.0.1:${port}`];
    const missing = await failure(run(`http://127.0.0.1:${port}/missing`, allow));
    expect(missing.message).toBe(
      `http://127.0.0.1:${port} answered 404; to take it as the result, list it in acceptStatus (e.g. [404] or ["4xx"])`,
    );
    expect(missing.transient).toBe(false);
    await expect(run(`http://127.0.0.1:${port}/missing`, allow, { acceptStatus: [404] })).resolves.toMatchObject({
      status: 404,
      content: "nope",
    });
    await expect(
      run(`http://127.0.0.1:${port}/missing`, allow, { acceptStatus: ["2xx", "4xx"] }),
    ).resolves.toMatchObject({
      status: 404,
    });
    await expect(run(`http://127.0.0.1:${port}/fail`, allow, { acceptStatus: ["5xx"] })).resolves.toMatchObject({
      status: 503,
    });
    expect(httpFetchTool.argsSchema.safeParse({ url: "http://x/", acceptStatus: ["6xx"] }).success).toBe(false);
  });

  it("rejects the spec's placeholder URL at run time with a clear message", async () => {
    await expect(run("https://…")).rejects.toThrow(/is not a valid URL|cannot resolve|refusing/);
  });

  it.each([
    ["8.8.8.8", true],
    ["1.1.1.1", true],
    ["2606:4700:4700::1111", true],
    ["127.0.0.1", false],
    ["10.1.2.3", false],
    ["172.16.0.1", false],
    ["192.168.1.1", false],
    ["169.254.169.254", false],
    ["100.64.0.1", false],
    ["0.0.0.0", false],
    ["::1", false],
    ["fe80::1", false],
    ["fc00::1", false],
    ["::ffff:127.0.0.1", false],
    ["::ffff:8.8.8.8", true],
    ["224.0.0.1", false],
    ["not-an-ip", false],
  ])("isPublicAddress(%s) = %s", (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });

  it("matches allow-list entries", () => {
    expect(isAllowed(["10.0.0.0/8"], "internal", 80, "10.2.3.4")).toBe(true);
    expect(isAllowed(["::1/128"], "localhost", 80, "::1")).toBe(true);
    expect(isAllowed(["internal:8080"], "internal", 80, "10.2.3.4")).toBe(false);
    expect(isAllowed(["internal:8080"], "INTERNAL", 8080, "10.2.3.4")).toBe(true);
    expect(isAllowed(["garbage/xx"], "h", 80, "10.0.0.1")).toBe(false);
  });

  it("matches IPv6 entries written bare or in brackets, and says how to write one", () => {
    // A bare IPv6 address used to be read as host ":" with port 1 and never matched.
    expect(isAllowed(["::1"], "::1", 3780, "::1")).toBe(true);
    expect(isAllowed(["::1"], "localhost", 8080, "::1")).toBe(true);
    expect(isAllowed(["[::1]:3780"], "[::1]", 3780, "::1")).toBe(true);
    expect(isAllowed(["[::1]:3780"], "[::1]", 3781, "::1")).toBe(false);
    expect(isAllowed(["0:0:0:0:0:0:0:1"], "localhost", 80, "::1")).toBe(true);
    expect(allowEntryFor("::1", 3780)).toBe("[::1]:3780");
    expect(allowEntryFor("127.0.0.1", 3780)).toBe("127.0.0.1:3780");
  });

  it.each([
    ["::1", true],
    ["[::1]:8080", true],
    ["fd00::/8", true],
    ["127.0.0.1:99999", false],
    ["[localhost]:80", false],
    ["10.0.0.0/99", false],
    ["::1:8080:zz", false],
  ])("parses the allow-list entry %s: %s", (entry, ok) => {
    expect(typeof parseAllowEntry(entry) !== "string").toBe(ok);
  });
});

describe("csv.parse", () => {
  it("parses rows and summarises columns", async () => {
    const out = (await csvTool.run(csvTool.argsSchema.parse({ text: "region,revenue\nEU,10\nUS,30\nEU,20\nAPAC,\n" }), {
      signal: new AbortController().signal,
      fetchAllow: [],
    })) as { columns: string[]; rowCount: number; rows: unknown[]; summary: Record<string, unknown> };
    expect(out.columns).toEqual(["region", "revenue"]);
    expect(out.rowCount).toBe(4);
    expect(out.rows[0]).toEqual({ region: "EU", revenue: "10" });
    expect(out.summary.revenue).toEqual({
      type: "number",
      count: 3,
      missing: 1,
      distinct: 3,
      min: 10,
      max: 30,
      mean: 20,
      median: 20,
      sum: 60,
    });
    expect(out.summary.region).toEqual({
      type: "string",
      count: 4,
      missing: 0,
      distinct: 3,
      top: [
        { value: "EU", count: 2 },
        { value: "APAC", count: 1 },
        { value: "US", count: 1 },
      ],
    });
  });

  it("reports malformed CSV as a tool error", async () => {
    await expect(
      csvTool.run(csvTool.argsSchema.parse({ text: 'a,b\n"unterminated,1\n' }), {
        signal: new AbortController().signal,
        fetchAllow: [],
      }),
    ).rejects.toThrow(/invalid CSV/);
  });

  it("computes medians of even-sized columns", () => {
    expect(summarizeColumn(["1", "2", "3", "10"]).median).toBe(2.5);
    expect(summarizeColumn(["", " "]).type).toBe("empty");
  });
});

describe("transform", () => {
  const t = (args: Record<string, unknown>) =>
    transformTool.run(transformTool.argsSchema.parse(args), { signal: new AbortController().signal, fetchAllow: [] });
  it("reshapes text and JSON", async () => {
    expect(await t({ operation: "upper", value: "abc" })).toBe("ABC");
    expect(await t({ operation: "truncate", value: "abcdef", maxLength: 3 })).toBe("abc");
    expect(await t({ operation: "lines", value: "a\n\nb\r\nc" })).toEqual(["a", "b", "c"]);
    expect(await t({ operation: "json.parse", value: '{"a":[1]}' })).toEqual({ a: [1] });
    expect(await t({ operation: "pick", value: { a: { b: [5, 6] } }, path: "a.b.1" })).toBe(6);
    await expect(t({ operation: "pick", value: { a: 1 }, path: "a.b" })).rejects.toThrow("pick: 'a.b' not found");
    await expect(t({ operation: "json.parse", value: "{" })).rejects.toThrow(/json.parse/);
  });
});

describe("registry", () => {
  it("resolves the spec's FetchDocs node name to the HTTP fetch tool", () => {
    expect(findTool("FetchDocs")?.name).toBe("http.fetch");
    expect(findTool("fetchdocs")?.name).toBe("http.fetch");
    expect(toolCatalog.list().map((x) => x.name)).toEqual(["http.fetch", "csv.parse", "transform"]);
  });
});
