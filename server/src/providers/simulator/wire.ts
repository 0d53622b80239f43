/** What both vendors' wire formats share in the simulator: the parsed request and the answer to send. */
import type { ServerResponse } from "node:http";
import type { SimConversation, SimToolCall } from "./conversation.ts";
import type { ActiveFault, SimProvider } from "./faults.ts";

export interface ParsedRequest {
  provider: SimProvider;
  model: string;
  system: string;
  prompt: string;
  maxTokens: number;
  stream: boolean;
  includeUsage: boolean;
  /** Turns, tools and the answer's schema (empty for a plain prompt). */
  conversation: SimConversation;
  /** The request body as received (tests assert the wire format). */
  body: Record<string, unknown>;
}

/** Everything a vendor module needs to write one successful (or deliberately broken) answer. */
export interface Answer {
  res: ServerResponse;
  /** The request id, sent in the vendor's header and in ids. */
  id: string;
  request: ParsedRequest;
  text: string;
  /** Tool calls the answer makes (the text may be empty then). */
  toolCalls: SimToolCall[];
  promptTokens: number;
  /** Output tokens, reasoning included. */
  completionTokens: number;
  reasoningTokens: number;
  /** The visible answer hit max tokens. */
  truncated: boolean;
  fault: ActiveFault | null;
  chunkDelayMs: number;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part) =>
        part && typeof part === "object" && "text" in part ? String((part as { text: unknown }).text) : "",
      )
      .join("");
  }
  return "";
}

/** The answer's text in streamed pieces (a word and its trailing space each). */
export const piecesOf = (text: string) => text.match(/\S+\s*/g) ?? [text];

/**
 * Stream `pieces` through `write`; with a stream_cut fault, drop the connection halfway (after
 * letting what was written reach the client). Returns false when the stream was cut.
 */
export async function streamPieces(answer: Answer, write: (piece: string) => void): Promise<boolean> {
  const pieces = piecesOf(answer.text);
  const cutAt = answer.fault?.kind === "stream_cut" ? Math.max(1, Math.floor(pieces.length / 2)) : -1;
  for (const [i, piece] of pieces.entries()) {
    if (i === cutAt) {
      await sleep(20);
      answer.res.destroy();
      return false;
    }
    if (answer.chunkDelayMs > 0) await sleep(answer.chunkDelayMs);
    write(piece);
  }
  return true;
}
