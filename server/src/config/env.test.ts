import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, redactUrl } from "./env.ts";

describe("parseConfig", () => {
  it("applies the documented defaults on an empty environment (embedded mode)", () => {
    const c = parseConfig({}, "/srv/app");
    expect(c.port).toBe(3000);
    expect(c.host).toBe("127.0.0.1");
    expect(c.dataDir).toBe(path.resolve("/srv/app", ".flowtrace"));
    expect(c.databaseUrl).toBeNull();
    expect(c.redisUrl).toBeNull();
    expect(c.mode).toBe("embedded");
    expect(c.inlineWorker).toBe(true);
    expect(c.logLevel).toBe("info");
    expect(c.apiToken).toBeNull();
    expect(c.fetchAllow).toEqual([]);
    expect(c.providers.openai).toEqual({ apiKey: null, baseUrl: null, tokenParam: "auto" });
  });

  it("selects server mode only when both DATABASE_URL and REDIS_URL are set", () => {
    const key = Buffer.alloc(32, 3).toString("base64"); // server mode requires the secrets' key
    const both = parseConfig({
      DATABASE_URL: "postgresql://u@db:5432/ft",
      REDIS_URL: "redis://r:6379/0",
      FLOWTRACE_SECRET_KEY: key,
    });
    expect(both.mode).toBe("server");
    expect(both.inlineWorker).toBe(false);
    expect(parseConfig({ DATABASE_URL: "postgresql://u@db:5432/ft" }).mode).toBe("embedded");
    const inline = parseConfig({
      DATABASE_URL: "postgresql://u@db/ft",
      REDIS_URL: "redis://r",
      FLOWTRACE_SECRET_KEY: key,
      FLOWTRACE_INLINE_WORKER: "1",
    });
    expect(inline.inlineWorker).toBe(true);
  });

  it("treats empty strings as unset", () => {
    const c = parseConfig({ PORT: "", DATABASE_URL: " ", LOG_LEVEL: "" });
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeNull();
    expect(c.logLevel).toBe("info");
  });

  it.each([
    ["PORT", "abc", /PORT is invalid: expected an integer between 0 and 65535 \(got "abc"\)/],
    ["PORT", "70000", /PORT is invalid: expected an integer between 0 and 65535/],
    ["DATABASE_URL", "mysql://x", /DATABASE_URL is invalid: expected a postgresql:\/\/ URL/],
    ["REDIS_URL", "localhost:6379", /REDIS_URL is invalid: expected a redis:\/\/ or rediss:\/\/ URL/],
    ["OPENAI_BASE_URL", "ftp://x", /OPENAI_BASE_URL is invalid: expected an http/],
    ["LOG_LEVEL", "loud", /LOG_LEVEL is invalid: expected one of fatal, error, warn, info, debug, trace, silent/],
    ["FLOWTRACE_INLINE_WORKER", "maybe", /FLOWTRACE_INLINE_WORKER is invalid: expected 1\/0/],
    ["FLOWTRACE_FETCH_ALLOW", "ok.host, bad host!", /FLOWTRACE_FETCH_ALLOW is invalid/],
    ["FLOWTRACE_FETCH_ALLOW", "::1:8080:x", /FLOWTRACE_FETCH_ALLOW is invalid: '::1:8080:x' is not a host, host:port/],
    ["FLOWTRACE_FETCH_ALLOW", "10.0.0.0/99", /FLOWTRACE_FETCH_ALLOW is invalid: '10.0.0.0\/99' is not a CIDR range/],
  ])("rejects %s=%s with one line naming the variable", (variable, value, message) => {
    let error: unknown;
    try {
      parseConfig({ [variable]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain("\n");
  });

  it("never echoes a secret value in its error", () => {
    const secret = "postgres://user:hunter2-very-secret@[bad";
    expect(() => parseConfig({ DATABASE_URL: secret })).toThrow(/DATABASE_URL is invalid/);
    try {
      parseConfig({ DATABASE_URL: secret });
    } catch (e) {
      expect((e as Error).message).not.toContain("hunter2");
    }
    try {
      parseConfig({ FLOWTRACE_API_TOKEN: "short-secret" });
    } catch (e) {
      expect((e as Error).message).toMatch(/FLOWTRACE_API_TOKEN is invalid: expected at least 16 characters/);
      expect((e as Error).message).not.toContain("short-secret");
    }
  });

  it("parses the fetch allow list and normalises LOG_LEVEL", () => {
    const c = parseConfig({ FLOWTRACE_FETCH_ALLOW: "localhost:8080, 10.0.0.0/8,,example.com", LOG_LEVEL: "DEBUG" });
    expect(c.fetchAllow).toEqual(["localhost:8080", "10.0.0.0/8", "example.com"]);
    expect(c.logLevel).toBe("debug");
  });

  it("resolves the pricing file and data dir against the working directory", () => {
    const c = parseConfig({ FLOWTRACE_PRICING_FILE: "prices.json", FLOWTRACE_DATA_DIR: "data" }, "/opt/ft");
    expect(c.pricingFile).toBe("/opt/ft/prices.json");
    expect(c.dataDir).toBe("/opt/ft/data");
  });
});

describe("redactUrl", () => {
  it("hides passwords and keeps the rest", () => {
    expect(redactUrl("postgresql://u:secret@h:5432/db")).toBe("postgresql://u:***@h:5432/db");
    expect(redactUrl("redis://h:6379/0")).toBe("redis://h:6379/0");
    expect(redactUrl("::not a url")).toBe("<unparseable url>");
  });

  it("parses named OpenAI-compatible providers and their keys, never echoing keys", () => {
    const c = parseConfig({
      FLOWTRACE_OPENAI_COMPATIBLE: "local-vllm=http://127.0.0.1:8000/v1, ollama=http://127.0.0.1:11434/v1",
      FLOWTRACE_OPENAI_COMPATIBLE_KEYS: "local-vllm=sk-local-secret",
      FLOWTRACE_OPENAI_TOKEN_PARAM: "ollama=max_tokens",
    });
    expect(c.providers.compatible).toEqual([
      { name: "local-vllm", baseUrl: "http://127.0.0.1:8000/v1", apiKey: "sk-local-secret", tokenParam: "auto" },
      { name: "ollama", baseUrl: "http://127.0.0.1:11434/v1", apiKey: null, tokenParam: "max_tokens" },
    ]);
    expect(() => parseConfig({ FLOWTRACE_OPENAI_COMPATIBLE: "openai=http://x" })).toThrow(
      /names openai and anthropic are taken/,
    );
    expect(() => parseConfig({ FLOWTRACE_OPENAI_COMPATIBLE: "local=ftp://x" })).toThrow(
      /FLOWTRACE_OPENAI_COMPATIBLE is invalid/,
    );
    expect(parseConfig({}).logFormat).toBe("auto");
    expect(parseConfig({ LOG_FORMAT: "JSON" }).logFormat).toBe("json");
    expect(() => parseConfig({ LOG_FORMAT: "xml" })).toThrow(/LOG_FORMAT is invalid: expected auto, pretty or json/);
    expect(() => parseConfig({ FLOWTRACE_OPENAI_TOKEN_PARAM: "ollama=max" })).toThrow(
      /FLOWTRACE_OPENAI_TOKEN_PARAM is invalid: expected name=auto/,
    );
    try {
      parseConfig({ FLOWTRACE_OPENAI_COMPATIBLE_KEYS: "bad entry sk-123456" });
    } catch (e) {
      expect((e as Error).message).toMatch(/FLOWTRACE_OPENAI_COMPATIBLE_KEYS is invalid: expected name=key pairs/);
      expect((e as Error).message).not.toContain("sk-123456");
    }
  });
});
