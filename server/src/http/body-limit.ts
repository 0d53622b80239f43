/**
 * Request body limit that lets the client read its 413.
 *
 * A client uploading a body above the limit is usually still sending when the answer is ready. If
 * the server then closes the socket with the upload unread, the kernel answers with a reset, and a
 * reset can destroy the 413 in the client's receive buffer before the client has read it: the
 * client sees EPIPE / "socket hang up", never the answer. So:
 * - a declared `Content-Length` up to `drainMaxBytes` is read to the end and discarded (never
 *   buffered) before the 413 goes out, and the connection stays usable (keep-alive);
 * - beyond that, or if the upload stalls past `drainTimeoutMs`, the 413 goes out at once with
 *   `Connection: close`, and the close is a lingering one, as nginx does it: FIN after the answer,
 *   then whatever the client still sends is read and discarded for `lingerMs` before the socket is
 *   destroyed — no one should have to receive 200 MiB to say no;
 * - a chunked body (no `Content-Length`) is counted as it streams and kept in memory only up to the
 *   limit; past it, the rest is discarded the same way.
 * The body stream is never opened for a declared oversize length: Hono's own `bodyLimit` opens it
 * first, and its back-pressure then stalls the server's discard, which cuts the socket.
 */
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import type { Context, MiddlewareHandler } from "hono";
import { errorBody } from "../rest/error-body.ts";

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface BodyLimitOptions {
  /** Oversize uploads up to this many bytes are read to the end before answering. */
  drainMaxBytes?: number;
  drainTimeoutMs?: number;
  /** How long a refused upload that was not read through is still read and discarded. */
  lingerMs?: number;
}

export function bodyLimit(
  maxBytes: number = DEFAULT_MAX_BODY_BYTES,
  options: BodyLimitOptions = {},
): MiddlewareHandler {
  const drainMaxBytes = options.drainMaxBytes ?? 32 * 1024 * 1024;
  const drainTimeoutMs = options.drainTimeoutMs ?? 5_000;
  const lingerMs = options.lingerMs ?? 2_000;
  const tooLarge = (c: Context, readThrough: boolean) => {
    const socket = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket;
    if (!readThrough && socket) {
      lingeringClose(socket, lingerMs);
      c.header("Connection", "close");
    }
    return c.json(
      errorBody("payload_too_large", `request body exceeds the size limit of ${maxBytes} bytes`, { limit: maxBytes }),
      413,
    );
  };
  return async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "OPTIONS") return next();
    // Headers only: reading them does not open the body.
    const length = c.req.header("content-length");
    if (length === undefined || c.req.header("transfer-encoding") !== undefined) {
      const body = c.req.raw.body;
      if (!body) return next();
      const read = await readUpTo(body.getReader(), maxBytes, drainMaxBytes, drainTimeoutMs);
      if (read.kind === "tooLarge") return tooLarge(c, read.drained);
      c.req.raw = new Request(c.req.raw, { body: read.body });
      return next();
    }
    // Node's HTTP parser has already refused a malformed Content-Length with 400.
    const declared = Number(length);
    if (declared <= maxBytes) {
      await next();
      await finishReading(c);
      return;
    }
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    const drained = incoming && declared <= drainMaxBytes ? await discard(incoming, drainTimeoutMs) : false;
    return tooLarge(c, drained);
  };
}

/**
 * A handler may answer without reading the body (a 404, a 415, a refused token). The rest of the
 * upload must still be read, or the connection cannot carry the next request: @hono/node-server
 * gives an unread body 500 ms and then destroys the socket, and a keep-alive client sees its next
 * request fail with "socket hang up". The length is known to be within the limit here.
 */
async function finishReading(c: Context): Promise<void> {
  const request = c.req.raw;
  if (request.bodyUsed) return;
  try {
    await request.arrayBuffer();
  } catch {
    // Locked by a reader that gave up: let the node stream flow to its end instead.
    (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.resume();
  }
}

type Read = { kind: "ok"; body: Uint8Array<ArrayBuffer> } | { kind: "tooLarge"; drained: boolean };

/** Read a streamed body keeping at most `maxBytes`; past that, discard the rest (bounded). */
async function readUpTo(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  maxBytes: number,
  drainMaxBytes: number,
  drainTimeoutMs: number,
): Promise<Read> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { kind: "ok", body: Buffer.concat(chunks, size) };
    size += value.byteLength;
    if (size > maxBytes) break;
    chunks.push(value);
  }
  chunks.length = 0;
  const deadline = Date.now() + drainTimeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), drainTimeoutMs);
  });
  try {
    while (size <= drainMaxBytes && Date.now() < deadline) {
      const next = await Promise.race([reader.read(), timeout]);
      if (next === "timeout") break;
      if (next.done) return { kind: "tooLarge", drained: true };
      size += next.value.byteLength;
    }
    // Not cancelled: cancelling destroys the socket at once (the reset race). The lingering close
    // reads the rest.
    reader.releaseLock();
    return { kind: "tooLarge", drained: false };
  } catch {
    return { kind: "tooLarge", drained: false };
  } finally {
    clearTimeout(timer);
  }
}

const LINGERING = Symbol("flowtrace.lingeringClose");

/**
 * Makes this socket's eventual close a lingering one. Node closes a `Connection: close` socket
 * with `destroySoon()` right after the answer (and @hono/node-server calls it after its own short
 * drain); here that becomes: send FIN after the answer, keep reading and discarding, destroy after
 * `ms` (or when the client closes first).
 */
function lingeringClose(socket: Socket, ms: number): void {
  const marked = socket as Socket & { [LINGERING]?: true };
  if (marked[LINGERING]) return;
  marked[LINGERING] = true;
  socket.destroySoon = function lingeringDestroySoon(this: Socket) {
    if (this.destroyed) return;
    const timer = setTimeout(() => this.destroy(), ms);
    timer.unref();
    this.once("close", () => clearTimeout(timer));
    this.on("error", () => {}); // a reset from the client now is expected
    if (this.writable) this.end();
    this.resume();
  };
}

/** Read the request body to its end without keeping it; false if it did not end in time. */
function discard(incoming: IncomingMessage, timeoutMs: number): Promise<boolean> {
  if (incoming.readableEnded) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ended: boolean) => {
      clearTimeout(timer);
      incoming.off("data", ignore);
      incoming.off("end", onEnd);
      incoming.off("error", onFail);
      incoming.off("close", onFail);
      resolve(ended);
    };
    const ignore = () => {};
    const onEnd = () => done(true);
    const onFail = () => done(incoming.readableEnded);
    const timer = setTimeout(() => done(false), timeoutMs);
    incoming.on("data", ignore);
    incoming.once("end", onEnd);
    incoming.once("error", onFail);
    incoming.once("close", onFail);
    incoming.resume();
  });
}
