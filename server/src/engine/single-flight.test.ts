import { describe, expect, it } from "vitest";
import { SingleFlight } from "./single-flight.ts";

class Canceled extends Error {}
const flight = () => new SingleFlight<string>((e) => e instanceof Canceled);
const deferred = <T>() => {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

describe("SingleFlight", () => {
  it("gives followers the leader's answer, and forgets the key once it settles", async () => {
    const sf = flight();
    const call = deferred<string>();
    void sf.lead("k", call.promise);
    const follower = sf.follow("k", new AbortController().signal);
    call.resolve("answer");
    expect(await follower).toBe("answer");
    expect(await sf.follow("k", new AbortController().signal)).toBeNull();
  });

  it("lets a follower call for itself when the leader's own run canceled it, and shares real failures", async () => {
    const sf = flight();
    const canceled = deferred<string>();
    void sf.lead("a", canceled.promise).catch(() => {});
    const f1 = sf.follow("a", new AbortController().signal);
    canceled.reject(new Canceled());
    expect(await f1).toBeNull();
    const failed = deferred<string>();
    void sf.lead("b", failed.promise).catch(() => {});
    const f2 = sf.follow("b", new AbortController().signal);
    failed.reject(new Error("500"));
    await expect(f2).rejects.toThrow("500");
  });

  it("stops a follower on its own signal while the leader goes on", async () => {
    const sf = flight();
    const call = deferred<string>();
    void sf.lead("k", call.promise);
    const own = new AbortController();
    const follower = sf.follow("k", own.signal);
    own.abort(new Error("run canceled"));
    await expect(follower).rejects.toThrow("run canceled");
    await expect(sf.follow("k", AbortSignal.abort(new Error("already")))).rejects.toThrow("already");
    call.resolve("late");
  });
});
