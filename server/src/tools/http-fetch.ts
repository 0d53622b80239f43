/**
 * HTTP fetch tool: GET a URL → {content, status, contentType, url}. Size- and time-limited, and it
 * refuses loopback, private, link-local and other non-public targets (SSRF) unless
 * FLOWTRACE_FETCH_ALLOW lists them. The address is checked after DNS resolution and the connection
 * is pinned to the checked address, so DNS rebinding cannot slip past; every redirect is re-checked.
 */
import { lookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { secretRefs } from "@flowtrace/contract/secrets";
import { BUILTIN_TOOL_SPECS, type fetchArgsSchema } from "@flowtrace/contract/tools";
import ipaddr from "ipaddr.js";
import type { z } from "zod";
import { allowEntryFor, entryAllows, parseAllowList } from "./allow-list.ts";
import { type HostResolver, type Tool, ToolError, type ToolRunContext } from "./types.ts";

const withoutNames = (headers: Record<string, string>, names: Set<string>) =>
  Object.fromEntries(Object.entries(headers).filter(([k]) => !names.has(k)));

/** Whether `status` is one of the accepted codes or classes. */
export function statusAccepted(status: number, accept: readonly (number | string)[]): boolean {
  return accept.some((a) => (typeof a === "number" ? a === status : a === `${Math.floor(status / 100)}xx`));
}

/** A status not accepted: 408, 429 and 5xx may pass on a retry; anything else fails the step now. */
function statusError(url: URL, status: number): ToolError {
  const transient = status >= 500 || status === 429 || status === 408;
  const hint = transient
    ? ""
    : `; to take it as the result, list it in acceptStatus (e.g. [${status}] or ["${Math.floor(status / 100)}xx"])`;
  return new ToolError(`${url.origin} answered ${status}${hint}`, transient);
}

const MAX_REDIRECTS = 5;

export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let ip = ipaddr.parse(address);
  if (ip.kind() === "ipv6" && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  return ip.range() === "unicast";
}

/** Is (host, port, resolved address) covered by an allow-list entry? Entries that do not parse cover nothing. */
export function isAllowed(allow: readonly string[], host: string, port: number, address: string): boolean {
  return parseAllowList(allow).entries.some((entry) => entryAllows(entry, host, port, address));
}

const RANGE_NAMES: Record<string, string> = {
  linkLocal: "link-local (where cloud metadata services live)",
  uniqueLocal: "unique-local (private IPv6)",
  carrierGradeNat: "carrier-grade NAT (shared, not public)",
  unspecified: "unspecified (this host)",
  multicast: "multicast",
  broadcast: "broadcast",
  reserved: "reserved",
  discard: "discard-only (IPv6 100::/64)",
  rfc6052: "NAT64 (an IPv6 address carrying an IPv4 one, which may be private)",
  "6to4": "6to4 (an IPv6 address carrying an IPv4 one, which may be private)",
  teredo: "Teredo tunnel (an IPv6 address carrying an IPv4 one)",
};

export const systemResolver: HostResolver = (host) => lookup(host, { all: true, verbatim: true });

function describeRange(address: string): string {
  try {
    let ip = ipaddr.parse(address);
    if (ip.kind() === "ipv6" && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
    const range = ip.range();
    return RANGE_NAMES[range] ?? range;
  } catch {
    return "invalid";
  }
}

export async function resolveChecked(
  url: URL,
  allow: readonly string[],
  resolveHost: HostResolver,
): Promise<{ address: string; family: 4 | 6 }> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  let addresses: readonly { address: string; family: number }[];
  if (net.isIP(host)) addresses = [{ address: host, family: net.isIP(host) }];
  else {
    try {
      addresses = await resolveHost(host);
    } catch (error) {
      throw new ToolError(
        `cannot resolve host '${host}' (${(error as NodeJS.ErrnoException).code ?? "DNS error"})`,
        true,
      );
    }
  }
  // Every answer must pass, not just the first: the connection is pinned to the first, but a
  // resolver's order is not ours to trust.
  for (const a of addresses) {
    if (!isPublicAddress(a.address) && !isAllowed(allow, host, port, a.address)) {
      throw new ToolError(
        `refusing to fetch ${url.origin}: ${a.address} is a ${describeRange(a.address)} address; allow it with FLOWTRACE_FETCH_ALLOW=${allowEntryFor(host, port)}`,
      );
    }
  }
  const first = addresses[0];
  if (!first) throw new ToolError(`host '${host}' has no addresses`, true);
  return { address: first.address, family: net.isIP(first.address) === 6 ? 6 : 4 };
}

interface FetchResult {
  content: string;
  status: number;
  contentType: string;
  url: string;
  bytes: number;
}

type FetchArgs = z.infer<typeof fetchArgsSchema>;
export type Pinned = { address: string; family: 4 | 6 };
type Outcome = FetchResult | { redirect: string };

/** Connect to the address we checked, never to a second DNS answer. */
export function pinnedLookup(pinned: Pinned): http.RequestOptions["lookup"] {
  return (_host, options, cb) => {
    const callback = cb as (...a: unknown[]) => void;
    if ((options as { all?: boolean }).all) callback(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  };
}

/** One outcome per request: the first of success, redirect or failure wins; a failure ends the request. */
class Exchange {
  private settled = false;
  request?: http.ClientRequest;

  constructor(
    private readonly resolve: (outcome: Outcome) => void,
    private readonly reject: (error: Error) => void,
  ) {}

  succeed(outcome: Outcome): void {
    if (this.settled) return;
    this.settled = true;
    this.resolve(outcome);
  }

  fail(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.reject(error);
    this.request?.destroy();
  }
}

function readResponse(res: http.IncomingMessage, url: URL, maxBytes: number, exchange: Exchange): void {
  const status = res.statusCode ?? 0;
  if (status >= 300 && status < 400 && res.headers.location) {
    res.resume();
    exchange.succeed({ redirect: new URL(res.headers.location, url).toString() });
    return;
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  res.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > maxBytes) exchange.fail(new ToolError(`response from ${url.origin} exceeds maxBytes (${maxBytes})`));
    else chunks.push(chunk);
  });
  res.on("end", () =>
    exchange.succeed({
      content: Buffer.concat(chunks).toString("utf8"),
      status,
      contentType: String(res.headers["content-type"] ?? ""),
      url: url.toString(),
      bytes,
    }),
  );
  res.on("error", (error) => exchange.fail(new ToolError(`reading ${url.origin} failed: ${error.message}`, true)));
}

function watchRequest(req: http.ClientRequest, url: URL, args: FetchArgs, signal: AbortSignal, exchange: Exchange) {
  const timedOut = () => new ToolError(`fetching ${url.origin} timed out after ${args.timeoutMs} ms`, true);
  // `timeout` on the request only notices an idle socket; this caps the whole exchange (a server
  // dripping one byte at a time must not hold the step forever).
  const deadline = setTimeout(() => exchange.fail(timedOut()), args.timeoutMs);
  req.on("close", () => clearTimeout(deadline));
  req.on("timeout", () => exchange.fail(timedOut()));
  req.on("error", (error) => {
    if (signal.aborted) return exchange.fail(new ToolError("fetch canceled"));
    const reason = (error as NodeJS.ErrnoException).code ?? error.message;
    exchange.fail(new ToolError(`fetching ${url.origin} failed: ${reason}`, true));
  });
}

function getOnce(
  url: URL,
  pinned: Pinned,
  args: FetchArgs,
  signal: AbortSignal,
  traceparent?: string,
): Promise<Outcome> {
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const exchange = new Exchange(resolve, reject);
    const options: http.RequestOptions = {
      method: "GET",
      headers: {
        "user-agent": "FlowTrace/0.1 (+fetch tool)",
        accept: "*/*",
        ...(traceparent ? { traceparent } : {}),
        ...args.headers,
      },
      signal,
      timeout: args.timeoutMs,
      lookup: pinnedLookup(pinned),
    };
    const req = client.request(url, options, (res) => readResponse(res, url, args.maxBytes, exchange));
    exchange.request = req;
    watchRequest(req, url, args, signal, exchange);
    req.end();
  });
}

/**
 * The request's headers with `{{secret.NAME}}` filled in, and the names of those that hold a secret
 * (they are not sent on to another origin when a redirect leaves the first one).
 */
async function filledHeaders(args: FetchArgs, ctx: ToolRunContext) {
  const headers: Record<string, string> = {};
  const secret = new Set<string>();
  for (const [name, value] of Object.entries(args.headers ?? {})) {
    if (secretRefs(value).length === 0) headers[name] = value;
    else if (!ctx.secrets) throw new ToolError(`header ${name} names a secret, and this call has no secrets`);
    else {
      headers[name] = await ctx.secrets.fill(value);
      secret.add(name);
    }
  }
  return { headers, secret };
}

export const httpFetchTool: Tool<typeof fetchArgsSchema> = {
  ...BUILTIN_TOOL_SPECS.fetch,
  async run(args, ctx) {
    if (!URL.canParse(args.url)) throw new ToolError(`'${args.url}' is not a valid URL`);
    let url = new URL(args.url);
    const origin = url.origin;
    const { headers, secret } = await filledHeaders(args, ctx);
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (url.protocol !== "http:" && url.protocol !== "https:") {
        throw new ToolError(`refusing to follow a redirect to ${url.protocol} URL`);
      }
      const pinned = await resolveChecked(url, ctx.fetchAllow, ctx.resolveHost ?? systemResolver);
      const sent = url.origin === origin ? headers : withoutNames(headers, secret);
      const result = await getOnce(url, pinned, { ...args, headers: sent }, ctx.signal, ctx.traceparent);
      if ("redirect" in result) {
        url = new URL(result.redirect);
        continue;
      }
      if (!statusAccepted(result.status, args.acceptStatus)) throw statusError(url, result.status);
      return result;
    }
    throw new ToolError(`more than ${MAX_REDIRECTS} redirects`);
  },
};
