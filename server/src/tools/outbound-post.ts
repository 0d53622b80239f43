/**
 * A JSON POST to a URL someone configured (an alert webhook), under the fetch tool's SSRF rules:
 * the host is resolved and every address checked — loopback, private, link-local and other
 * non-public targets are refused unless FLOWTRACE_FETCH_ALLOW lists them — and the connection is
 * pinned to the checked address (no DNS rebinding). Redirects are not followed.
 */
import http from "node:http";
import https from "node:https";
import { pinnedLookup, resolveChecked, systemResolver } from "./http-fetch.ts";
import type { HostResolver } from "./types.ts";

export interface PostOptions {
  allow: readonly string[];
  timeoutMs: number;
  resolveHost?: HostResolver;
}

/** The answer's status; throws (a ToolError naming the refused address, or the network error) otherwise. */
export async function postJson(
  url: URL,
  body: string,
  headers: Record<string, string>,
  options: PostOptions,
): Promise<number> {
  const pinned = await resolveChecked(url, options.allow, options.resolveHost ?? systemResolver);
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, {
      method: "POST",
      headers: { ...headers, "content-length": Buffer.byteLength(body) },
      timeout: options.timeoutMs,
      lookup: pinnedLookup(pinned),
    });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(Object.assign(new Error("timed out"), { name: "TimeoutError" })));
    req.on("error", reject);
    req.end(body);
  });
}
