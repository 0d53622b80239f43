/**
 * SSRF: the fetch tool refuses every non-public destination — loopback, link-local (cloud metadata
 * at 169.254.169.254), private and unique-local ranges, IPv4-mapped IPv6, numeric and shorthand
 * spellings of them, DNS names that resolve to them, redirects to them — and every non-HTTP(S)
 * scheme, unless FLOWTRACE_FETCH_ALLOW lists the target. Response size and time are capped.
 * Real requests: a local server plays the attacker's redirector.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpFetchTool } from "../../src/tools/http-fetch.ts";
import { type HostResolver, ToolError } from "../../src/tools/types.ts";

let server: http.Server;
let port: number;
let hits = 0;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits++;
    const u = new URL(req.url ?? "/", "http://x");
    if (u.pathname === "/redirect") {
      res.writeHead(302, { location: u.searchParams.get("to") ?? "/" });
      res.end();
    } else if (u.pathname === "/huge") {
      res.writeHead(200, { "content-type": "text/plain" });
      const chunk = "x".repeat(64 * 1024);
      let sent = 0;
      const push = () => {
        while (sent < 8 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
        if (sent < 8 * 1024 * 1024) res.once("drain", push);
        else res.end();
      };
      push();
    } else if (u.pathname === "/drip") {
      res.writeHead(200, { "content-type": "text/plain" });
      const timer = setInterval(() => res.write("."), 100);
      res.on("close", () => clearInterval(timer));
    } else {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("internal secret");
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const fetchTool = (
  url: string,
  allow: string[] = [],
  extra: Record<string, unknown> = {},
  resolveHost?: HostResolver,
) =>
  httpFetchTool.run(httpFetchTool.argsSchema.parse({ url, ...extra }), {
    signal: new AbortController().signal,
    fetchAllow: allow,
    ...(resolveHost ? { resolveHost } : {}),
  });

async function refusal(url: string, allow: string[] = [], resolveHost?: HostResolver): Promise<string> {
  try {
    await fetchTool(url, allow, { timeoutMs: 2_000 }, resolveHost);
  } catch (error) {
    expect(error).toBeInstanceOf(ToolError);
    return (error as Error).message;
  }
  throw new Error(`${url} was fetched`);
}

const DESTINATIONS: [string, RegExp][] = [
  ["http://127.0.0.1/", /loopback/],
  ["http://127.1/", /loopback/],
  ["http://2130706433/", /loopback/],
  ["http://0x7f000001/", /loopback/],
  ["http://0177.0.0.1/", /loopback/],
  ["http://localhost/", /loopback/],
  ["http://LOCALHOST./", /loopback|cannot resolve/],
  ["http://[::1]/", /loopback/],
  ["http://0.0.0.0/", /not a public|unspecified|reserved|this network|loopback/],
  ["http://169.254.169.254/latest/meta-data/", /link-local/],
  ["http://[fe80::1]/", /link-local/],
  ["http://10.0.0.1/", /private/],
  ["http://172.16.5.4/", /private/],
  ["http://192.168.1.1/", /private/],
  ["http://100.64.0.1/", /not a public|shared|carrier|private|reserved/],
  ["http://[fc00::1]/", /unique-local|private/],
  ["http://[fd12:3456::1]/", /unique-local|private/],
  ["http://[::ffff:127.0.0.1]/", /loopback|mapped/],
  ["http://[::ffff:7f00:1]/", /loopback|mapped/],
  ["http://[::ffff:169.254.169.254]/", /link-local|mapped/],
  ["http://[::ffff:10.0.0.1]/", /private|mapped/],
  ["http://user:pass@127.0.0.1/", /loopback/],
  ["http://224.0.0.1/", /multicast|not a public|reserved/],
  ["http://[64:ff9b::7f00:1]/", /NAT64/],
  ["http://[64:ff9b::a9fe:a9fe]/", /NAT64/],
  ["http://[2002:7f00:1::]/", /6to4/],
  ["http://[2001::1]/", /Teredo/],
];

/** A DNS server under the test's control: each name's answers, in order; counts the lookups. */
function fakeDns(answers: Record<string, string[][]>) {
  const lookups: string[] = [];
  const resolveHost: HostResolver = async (host) => {
    lookups.push(host);
    const rounds = answers[host];
    if (!rounds) throw Object.assign(new Error(`queryA ENOTFOUND ${host}`), { code: "ENOTFOUND" });
    const round = rounds[Math.min(lookups.filter((h) => h === host).length, rounds.length) - 1] ?? [];
    return round.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
  return { resolveHost, lookups };
}

// Names whose DNS answers point inside: what an attacker registers to get past a check on the URL.
const DNS_ANSWERS: [string, string[], RegExp][] = [
  ["metadata.attacker.test", ["169.254.169.254"], /169\.254\.169\.254 is a link-local/],
  ["ten.attacker.test", ["10.1.2.3"], /10\.1\.2\.3 is a private/],
  ["home.attacker.test", ["192.168.0.10"], /private/],
  ["corp.attacker.test", ["172.20.0.1"], /private/],
  ["cgnat.attacker.test", ["100.64.1.1"], /carrier-grade NAT/],
  ["loop.attacker.test", ["127.0.0.1"], /loopback/],
  ["zero.attacker.test", ["0.0.0.0"], /unspecified/],
  ["v6loop.attacker.test", ["::1"], /loopback/],
  ["ula.attacker.test", ["fd00:ec2::254"], /unique-local/],
  ["ll6.attacker.test", ["fe80::1"], /link-local/],
  ["mapped.attacker.test", ["::ffff:10.0.0.1"], /private/],
  ["nat64.attacker.test", ["64:ff9b::a9fe:a9fe"], /NAT64/],
  // A public first answer does not launder a private second one.
  ["mixed.attacker.test", ["93.184.216.34", "10.0.0.7"], /10\.0\.0\.7 is a private/],
  ["mixed6.attacker.test", ["2606:2800:220:1:248:1893:25c8:1946", "::ffff:127.0.0.1"], /loopback/],
];

describe("SSRF guard of the fetch tool", () => {
  it.each(DESTINATIONS)("refuses %s", async (url, reason) => {
    const before = hits;
    const message = await refusal(url);
    expect(message).toMatch(reason);
    if (!/cannot resolve/.test(message)) {
      expect(message).toMatch(/refusing to fetch/);
      expect(message).toMatch(/FLOWTRACE_FETCH_ALLOW/);
    }
    expect(hits).toBe(before);
  });

  it.each([
    ["file:///etc/passwd"],
    ["ftp://example.com/x"],
    ["gopher://127.0.0.1:6379/_INFO"],
    ["data:text/plain,hello"],
    ["javascript:alert(1)"],
    ["ws://example.com/"],
  ])("refuses the non-HTTP(S) scheme of %s", async (url) => {
    // Rejected by the tool's argument schema (at save time, and again at run time).
    expect(() => httpFetchTool.argsSchema.parse({ url })).toThrow(/expected an http:\/\/ or https:\/\/ URL/);
  });

  it("refuses redirects to every such destination, even from an allowed host", async () => {
    const allow = [`127.0.0.1:${port}`];
    for (const [target] of DESTINATIONS) {
      const url = `http://127.0.0.1:${port}/redirect?to=${encodeURIComponent(target)}`;
      const message = await refusal(url, allow);
      expect(message, target).toMatch(/refusing|cannot resolve/);
    }
    for (const scheme of ["file:///etc/passwd", "gopher://127.0.0.1:6379/_INFO"]) {
      const url = `http://127.0.0.1:${port}/redirect?to=${encodeURIComponent(scheme)}`;
      expect(await refusal(url, allow)).toMatch(/refusing to follow a redirect/);
    }
    // An allowed target is fetched; only the allowed host:port, not the whole machine.
    await expect(fetchTool(`http://127.0.0.1:${port}/doc`, allow)).resolves.toMatchObject({ status: 200 });
    expect(await refusal(`http://127.0.0.1:${port + 1}/doc`, allow)).toMatch(/loopback/);
  });

  it.each(DNS_ANSWERS)("refuses %s, whose DNS answer is %j", async (name, answer, reason) => {
    const dns = fakeDns({ [name]: [answer] });
    const before = hits;
    const message = await refusal(`http://${name}:${port}/doc`, [], dns.resolveHost);
    expect(message).toMatch(reason);
    expect(message).toMatch(/refusing to fetch/);
    expect(message).toContain(`FLOWTRACE_FETCH_ALLOW=${name}:${port}`);
    expect(dns.lookups).toEqual([name]);
    expect(hits).toBe(before);
  });

  it("says so when a name does not resolve, and fetches nothing", async () => {
    const before = hits;
    const message = await refusal(`http://nowhere.attacker.test:${port}/`, [], fakeDns({}).resolveHost);
    expect(message).toBe("cannot resolve host 'nowhere.attacker.test' (ENOTFOUND)");
    expect(hits).toBe(before);
  });

  it("connects to the address it checked, not to a second DNS answer (rebinding), and re-checks every redirect", async () => {
    // 127.0.0.2 plays a public host (allowed by CIDR); 127.0.0.1 — the test's main server — is the
    // internal target the name is rebound to after the check.
    let outsideHits = 0;
    const outside = http.createServer((req, res) => {
      outsideHits++;
      const u = new URL(req.url ?? "/", "http://x");
      if (u.pathname === "/redirect") {
        res.writeHead(302, { location: u.searchParams.get("to") ?? "/" });
        res.end();
      } else {
        res.writeHead(200, { "content-type": "text/plain" });
        res.end("public page");
      }
    });
    await new Promise<void>((r) => outside.listen(port, "127.0.0.2", () => r()));
    try {
      const allow = ["127.0.0.2/32"];
      const before = hits;

      // Rebinding within one fetch: the check sees 127.0.0.2, a second lookup would say 127.0.0.1.
      const rebind = fakeDns({ "rebind.attacker.test": [["127.0.0.2"], ["127.0.0.1"]] });
      const result = await fetchTool(`http://rebind.attacker.test:${port}/doc`, allow, {}, rebind.resolveHost);
      expect(result).toMatchObject({ status: 200, content: "public page" });
      expect(rebind.lookups).toEqual(["rebind.attacker.test"]);
      expect(outsideHits).toBe(1);
      expect(hits).toBe(before);

      // Rebinding across a redirect: the redirect's target is resolved and checked again.
      const hop = fakeDns({ "rebind.attacker.test": [["127.0.0.2"], ["127.0.0.1"]] });
      const back = encodeURIComponent(`http://rebind.attacker.test:${port}/doc`);
      const message = await refusal(`http://rebind.attacker.test:${port}/redirect?to=${back}`, allow, hop.resolveHost);
      expect(message).toMatch(/127\.0\.0\.1 is a loopback/);
      expect(hop.lookups).toEqual(["rebind.attacker.test", "rebind.attacker.test"]);
      expect(outsideHits).toBe(2);
      expect(hits).toBe(before);
    } finally {
      await new Promise<void>((r) => outside.close(() => r()));
    }
  });

  it("caps the response size and the time, whatever the server does", async () => {
    const allow = [`127.0.0.1:${port}`];
    const started = Date.now();
    await expect(fetchTool(`http://127.0.0.1:${port}/huge`, allow)).rejects.toThrow(/exceeds maxBytes/);
    await expect(fetchTool(`http://127.0.0.1:${port}/huge`, allow, { maxBytes: 4 * 1024 * 1024 })).rejects.toThrow(
      /exceeds maxBytes/,
    );
    await expect(fetchTool(`http://127.0.0.1:${port}/drip`, allow, { timeoutMs: 500 })).rejects.toThrow(
      /timed out after 500 ms/,
    );
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
