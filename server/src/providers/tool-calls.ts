/** Tool calls as the vendors stream them: pieces of JSON arguments, assembled and parsed once complete. */
import type { ToolCall } from "./types.ts";

/** A call being streamed: its id and name as they arrive, its arguments' JSON text so far. */
export interface PartialCall {
  id: string;
  name: string;
  json: string;
}

/** The finished call: arguments parsed; text that is not a JSON object is kept as `badArgs`. */
export function completeCall(partial: PartialCall): ToolCall {
  const text = partial.json.trim() === "" ? "{}" : partial.json;
  try {
    const args = JSON.parse(text) as unknown;
    if (args && typeof args === "object" && !Array.isArray(args)) {
      return { id: partial.id, name: partial.name, args: args as Record<string, unknown> };
    }
  } catch {
    // falls through: the model sent text that is not JSON
  }
  return { id: partial.id, name: partial.name, args: {}, badArgs: partial.json };
}

/** The JSON text a call's arguments were sent as (the model's own text when it was not an object). */
export const argumentsText = (call: ToolCall) => call.badArgs ?? JSON.stringify(call.args);

/**
 * Whether OpenAI's strict structured outputs accept this schema as it is: an object whose every
 * property is required and which allows no others. Other schemas are sent non-strict and the
 * answer is validated by FlowTrace instead.
 */
export function strictCompatible(schema: Record<string, unknown>): boolean {
  const properties = schema.properties as Record<string, unknown> | undefined;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  return (
    schema.type === "object" &&
    schema.additionalProperties === false &&
    Object.keys(properties ?? {}).every((k) => required.includes(k))
  );
}
