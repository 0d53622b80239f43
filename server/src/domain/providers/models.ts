/** What a model's name tells about its API. Pure. */

/**
 * OpenAI's reasoning models (o1, o3, o4-mini…, gpt-5…): they refuse `max_tokens` (wanting
 * `max_completion_tokens`) and report hidden reasoning tokens. A proxy's `vendor/model` names count
 * by their last part.
 */
export function isReasoningModel(model: string): boolean {
  const name = model.slice(model.lastIndexOf("/") + 1).toLowerCase();
  return /^(o\d+(?:$|-)|gpt-5)/.test(name);
}
