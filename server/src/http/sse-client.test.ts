import { describe, expect, it } from "vitest";
import { sseMessages, traceEvents } from "./sse-client.ts";

/** A response whose body arrives in the given chunks. */
function chunked(chunks: string[]): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(encoder.encode(c));
      controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
}

describe("the SSE reader", () => {
  it("reads events cut anywhere, with comments, CRLF line ends and multi-line data", async () => {
    const res = chunked([
      ": heartbeat\r\n\r\nevent: tr",
      'ace\r\ndata: {"seq":1,',
      '\r\ndata: "kind":"log"}\r\nid: 1\r\n\r',
      "\n",
    ]);
    const messages = [];
    for await (const m of sseMessages(res)) messages.push(m);
    expect(messages).toEqual([{ event: "trace", data: '{"seq":1,\n"kind":"log"}', id: "1" }]);
  });

  it("yields only stored trace events, not live deltas", async () => {
    const res = chunked([
      'event: delta\ndata: {"text":"partial"}\n\n',
      'event: trace\ndata: {"seq":1,"ts":"t","kind":"run.started","step_id":null,"payload":{}}\nid: 1\n\n',
      'event: trace\ndata: {"seq":2,"ts":"t","kind":"run.finished","step_id":null,"payload":{}}\nid: 2\n\n',
    ]);
    const kinds = [];
    for await (const e of traceEvents(res)) kinds.push(`${e.seq}:${e.kind}`);
    expect(kinds).toEqual(["1:run.started", "2:run.finished"]);
  });

  it("reads nothing from a response without a body (204 No Content)", async () => {
    const messages = [];
    for await (const m of sseMessages(new Response(null, { status: 204 }))) messages.push(m);
    expect(messages).toEqual([]);
  });
});
