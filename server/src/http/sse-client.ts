/**
 * Reading a Server-Sent Events response: one reader for the CLI, the benchmarks and the tests, on
 * eventsource-parser (the parser the `eventsource` package uses), so comments, multi-line data,
 * CR/LF line ends and chunks cut anywhere are handled as the SSE spec says.
 */
import { type EventSourceMessage, EventSourceParserStream } from "eventsource-parser/stream";

/** The messages of an SSE response body, in order; ends when the body does. */
export async function* sseMessages(res: Response): AsyncGenerator<EventSourceMessage> {
  if (!res.body) return;
  const messages = res.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
  yield* messages as unknown as AsyncIterable<EventSourceMessage>;
}

/** A stored trace event as the REST stream sends it (`event: trace`, snake_case fields). */
export interface StreamedTraceEvent {
  seq: number;
  ts: string;
  kind: string;
  step_id: string | null;
  payload: Record<string, unknown>;
}

/** The stored trace events of a run's SSE stream (live `delta` events and heartbeats left out). */
export async function* traceEvents(res: Response): AsyncGenerator<StreamedTraceEvent> {
  for await (const m of sseMessages(res)) {
    if (m.event === "trace" && m.data) yield JSON.parse(m.data) as StreamedTraceEvent;
  }
}
