/**
 * Sign-in attempts are rate-limited (rate-limiter-flexible): 10 failures per email and address in
 * 15 minutes, 100 per address. With Redis configured the counts are shared by every API replica
 * (and fall back to this process's memory while Redis is away); embedded, they are in memory.
 */
import { Redis } from "ioredis";
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { RefusedError } from "../services/errors.ts";

const WINDOW_S = 15 * 60;

export interface SignInLimiter {
  /** Throws a 429 RefusedError while this email or address is blocked. */
  check(ip: string, email: string): Promise<void>;
  /** Count a failed attempt (throws the 429 when it was one too many). */
  fail(ip: string, email: string): Promise<void>;
  /** A successful sign-in clears the email's count. */
  succeed(ip: string, email: string): Promise<void>;
  close(): Promise<void>;
}

function limiters(redis: Redis | null, prefix: string) {
  const make = (points: number, keyPrefix: string): RateLimiterAbstract => {
    const options = { points, duration: WINDOW_S, keyPrefix: `${prefix}:${keyPrefix}` };
    if (!redis) return new RateLimiterMemory(options);
    const insuranceLimiter = new RateLimiterMemory(options);
    return new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter });
  };
  return { perEmail: make(10, "signin-email"), perIp: make(100, "signin-ip") };
}

const tooMany = (res: RateLimiterRes) =>
  new RefusedError(
    429,
    "too_many_attempts",
    "too many failed sign-in attempts: wait and try again",
    Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
  );

export function createSignInLimiter(redisUrl: string | null, prefix: string): SignInLimiter {
  const redis = redisUrl ? new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }) : null;
  redis?.on("error", () => {}); // the insurance limiter answers meanwhile
  const { perEmail, perIp } = limiters(redis, prefix);
  const emailKey = (ip: string, email: string) => `${email}|${ip}`;
  const blocked = async (limiter: RateLimiterAbstract, key: string) => {
    const res = await limiter.get(key);
    if (res && res.remainingPoints <= 0) throw tooMany(res);
  };
  const consume = async (limiter: RateLimiterAbstract, key: string) => {
    try {
      await limiter.consume(key);
    } catch (error) {
      if (error instanceof RateLimiterRes) throw tooMany(error);
      throw error;
    }
  };
  return {
    async check(ip, email) {
      await blocked(perIp, ip);
      await blocked(perEmail, emailKey(ip, email));
    },
    async fail(ip, email) {
      await consume(perIp, ip);
      await consume(perEmail, emailKey(ip, email));
    },
    async succeed(ip, email) {
      await perEmail.delete(emailKey(ip, email));
    },
    async close() {
      redis?.disconnect();
    },
  };
}
