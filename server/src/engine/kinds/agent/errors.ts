/** Why an agent step fails on its own: the loop ran out of iterations, or the answer broke its schema. */
export class AgentError extends Error {
  override readonly name = "AgentError";
  constructor(
    readonly kind: "agent.max_iterations" | "agent.output_invalid",
    message: string,
  ) {
    super(message);
  }
}
