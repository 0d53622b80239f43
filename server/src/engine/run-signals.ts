/**
 * Everything that can stop a run while it executes, as one abort signal: the caller's cancel, a
 * cancel sent over pub/sub (the cancel API), a graceful hand-off to another worker, the run
 * deadline, and another executor claiming the run. `dispose()` removes every listener and timer.
 */
import { HandoffError } from "../domain/handoff.ts";
import { channels } from "../domain/trace/events.ts";
import type { PubSub } from "../realtime/pubsub.ts";
import { TraceConflictError, type TraceRecorder } from "../trace/recorder.ts";
import { LimitExceededError } from "./budget.ts";

import { CanceledError } from "./run-errors.ts";

export { CanceledError };

export interface RunSignalOptions {
  /** The caller's cancel (e.g. the queue's). */
  signal?: AbortSignal;
  /** Graceful worker shutdown: stop resumably. */
  handoff?: AbortSignal;
}

export class RunSignals {
  private readonly controller = new AbortController();
  private deadline: NodeJS.Timeout | undefined;
  private unsubscribe: (() => Promise<void>) | undefined;
  private readonly detach: (() => void)[] = [];

  private constructor() {}

  /** Listen for every stop, with the deadline counted from when the run first started. */
  static async open(
    deps: { pubsub: PubSub; recorder: Pick<TraceRecorder, "onFailure"> },
    runId: string,
    run: { startedAt: Date; timeoutSeconds: number },
    options: RunSignalOptions = {},
  ): Promise<RunSignals> {
    const s = new RunSignals();
    s.follow(options.signal, () => new CanceledError("run canceled"));
    s.follow(options.handoff, () => new HandoffError());
    // Another executor is writing this run (the queue handed the job out twice): stop at once.
    deps.recorder.onFailure((error) => {
      if (error instanceof TraceConflictError) s.abort(error);
    });
    s.unsubscribe = await deps.pubsub.subscribe(channels.control(runId), (message) => {
      if ((message as { type?: string })?.type === "cancel") s.abort(new CanceledError("run canceled"));
    });
    const remainingMs = run.timeoutSeconds * 1000 - (Date.now() - run.startedAt.getTime());
    s.deadline = setTimeout(
      () =>
        s.abort(
          new LimitExceededError(
            "timeout",
            `run exceeded its ${run.timeoutSeconds} s deadline (limits.timeoutSeconds)`,
          ),
        ),
      Math.max(0, remainingMs),
    );
    return s;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Why the run was stopped, or undefined while it goes on. */
  get reason(): unknown {
    return this.controller.signal.aborted ? this.controller.signal.reason : undefined;
  }

  abort(reason: Error) {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
  }

  private follow(source: AbortSignal | undefined, reason: () => Error) {
    if (!source) return;
    if (source.aborted) return this.abort(reason());
    const onAbort = () => this.abort(reason());
    source.addEventListener("abort", onAbort, { once: true });
    this.detach.push(() => source.removeEventListener("abort", onAbort));
  }

  async dispose(): Promise<void> {
    clearTimeout(this.deadline);
    for (const d of this.detach.splice(0)) d();
    await this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
