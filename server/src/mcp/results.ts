/**
 * An MCP tool result as a step output and an agent's tool result: its structured content when it
 * has one, else its text (one block as a string, several joined), else its content blocks with
 * images and audio described by type and size instead of their base64 data.
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

type Block = CallToolResult["content"][number];

function blockOf(block: Block): unknown {
  if (block.type === "image" || block.type === "audio") {
    return { type: block.type, mimeType: block.mimeType, bytes: Math.floor((block.data.length * 3) / 4) };
  }
  return block;
}

export function mcpOutput(result: CallToolResult): unknown {
  if (result.structuredContent && !result.isError) return result.structuredContent;
  const content = result.content ?? [];
  if (content.every((b) => b.type === "text")) {
    const texts = content.map((b) => (b as { text: string }).text);
    return texts.length === 1 ? texts[0] : texts.join("\n");
  }
  return content.map(blockOf);
}

/** The text of an error result (what the step's error or the model's error result says). */
export function mcpErrorText(result: CallToolResult): string {
  const out = mcpOutput(result);
  return (typeof out === "string" ? out : JSON.stringify(out)).slice(0, 2_000) || "the tool reported an error";
}
