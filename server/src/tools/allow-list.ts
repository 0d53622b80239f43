/**
 * FLOWTRACE_FETCH_ALLOW entries: `host`, `host:port`, an IPv4 address (with a port or not), an IPv6
 * address bare (`::1`) or in brackets (`[::1]`, `[::1]:8080`), or a CIDR range (`10.0.0.0/8`,
 * `fd00::/8`). Parsed once, the same way when the configuration is read (a bad entry stops the start
 * with its reason) and when a fetch is checked.
 */
import net from "node:net";
import ipaddr from "ipaddr.js";

export type AllowEntry =
  | { kind: "range"; range: [ipaddr.IPv4 | ipaddr.IPv6, number] }
  | { kind: "host"; host: string; port: number | undefined };

const HOST = /^[a-z0-9._-]+$/;

function parsePort(text: string | undefined, entry: string): number | undefined | string {
  if (text === undefined) return undefined;
  const port = Number(text);
  return /^\d{1,5}$/.test(text) && port >= 1 && port <= 65_535 ? port : `'${entry}': the port must be 1-65535`;
}

/** One entry, or why it cannot be one (a sentence naming the entry). */
export function parseAllowEntry(raw: string): AllowEntry | string {
  const entry = raw.trim().toLowerCase();
  if (entry.includes("/")) {
    try {
      return { kind: "range", range: ipaddr.parseCIDR(entry) };
    } catch {
      return `'${raw}' is not a CIDR range (expected e.g. 10.0.0.0/8 or fd00::/8)`;
    }
  }
  if (net.isIPv6(entry)) return { kind: "host", host: entry, port: undefined };
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(entry);
  if (bracketed) {
    const [, host = "", portText] = bracketed;
    if (!net.isIPv6(host)) return `'${raw}': only an IPv6 address goes in brackets`;
    const port = parsePort(portText, raw);
    return typeof port === "string" ? port : { kind: "host", host, port };
  }
  const [host = "", portText, extra] = entry.split(":");
  if (extra !== undefined || !HOST.test(host)) {
    return `'${raw}' is not a host, host:port, IP address or CIDR range (write an IPv6 address with a port as [::1]:8080)`;
  }
  const port = parsePort(portText, raw);
  return typeof port === "string" ? port : { kind: "host", host, port };
}

/** Every entry parsed, or the reasons of those that are not entries. */
export function parseAllowList(entries: readonly string[]): { entries: AllowEntry[]; problems: string[] } {
  const parsed = entries.map(parseAllowEntry);
  return {
    entries: parsed.filter((e): e is AllowEntry => typeof e !== "string"),
    problems: parsed.filter((e): e is string => typeof e === "string"),
  };
}

const normalise = (address: string) => {
  const ip = ipaddr.parse(address);
  return ip.kind() === "ipv6" && (ip as ipaddr.IPv6).isIPv4MappedAddress() ? (ip as ipaddr.IPv6).toIPv4Address() : ip;
};

/** Does an entry cover (host, port, resolved address)? Hosts and addresses compare in canonical form. */
export function entryAllows(entry: AllowEntry, host: string, port: number, address: string): boolean {
  if (entry.kind === "range") {
    const ip = normalise(address);
    return ip.kind() === entry.range[0].kind() && ip.match(entry.range);
  }
  if (entry.port !== undefined && entry.port !== port) return false;
  if (entry.host === host.toLowerCase().replace(/^\[|\]$/g, "")) return true;
  return ipaddr.isValid(entry.host) && normalise(entry.host).toString() === normalise(address).toString();
}

/** How to write (host, port) as an allow-list entry: `[::1]:8080` for IPv6, `host:port` otherwise. */
export function allowEntryFor(host: string, port: number): string {
  return net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}
