/** Raised into work that must stop resumably because its worker is shutting down gracefully. */
export class HandoffError extends Error {
  override readonly name = "HandoffError";
  constructor() {
    super("worker shutting down: handing the job back to the queue");
  }
}
