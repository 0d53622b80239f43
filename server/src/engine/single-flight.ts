/**
 * Identical calls in flight make one call: the first (the leader) runs it, the others (followers)
 * wait for its answer. Injectable (EngineDeps.singleFlight); one per process by default, so runs
 * executed by one worker share it.
 */
export class SingleFlight<T> {
  private readonly inflight = new Map<string, Promise<T>>();

  /**
   * @param leaderCanceled tells a leader's cancellation (its own run stopped) from a failure: on
   * the former a follower calls for itself instead of failing with it.
   */
  constructor(private readonly leaderCanceled: (error: unknown) => boolean) {}

  /** Make `pending` the answer followers of `key` wait for, until it settles. */
  lead(key: string, pending: Promise<T>): Promise<T> {
    this.inflight.set(key, pending);
    void pending
      .finally(() => {
        if (this.inflight.get(key) === pending) this.inflight.delete(key);
      })
      .catch(() => {});
    return pending;
  }

  /**
   * The leader's answer of `key`, or null when there is no leader or its call was canceled by its
   * own run (the follower then calls itself). Rejects with the follower's own abort reason when
   * its signal fires first.
   */
  async follow(key: string, signal: AbortSignal): Promise<T | null> {
    const shared = this.inflight.get(key);
    if (!shared) return null;
    if (signal.aborted) throw signal.reason;
    let onAbort = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      return await Promise.race([shared, aborted]);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (this.leaderCanceled(error)) return null;
      throw error;
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }
}
