import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, wantsPretty } from "./logger.ts";

function capture() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join("") };
}

describe("logger", () => {
  it("writes readable lines when pretty, still redacting secrets", () => {
    const out = capture();
    const logger = createLogger({ level: "info", destination: out.stream, pretty: { colorize: false } });
    logger.info({ apiKey: "sk-live-secret-key-123456", runId: "r1" }, "run started");
    const text = out.text();
    expect(text).toMatch(/INFO.*run started/);
    expect(text).toContain("[redacted]");
    expect(text).not.toContain("sk-live-secret-key-123456");
    expect(text.trimStart().startsWith("{")).toBe(false);
  });

  it("writes JSON lines otherwise", () => {
    const out = capture();
    const logger = createLogger({ level: "info", destination: out.stream });
    logger.info({ token: "abc" }, "hello");
    const line = JSON.parse(out.text().trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ level: "info", msg: "hello", token: "[redacted]" });
  });

  it("is readable on a terminal and JSON in pipes unless told otherwise", () => {
    expect(wantsPretty("auto", true)).toBe(true);
    expect(wantsPretty("auto", false)).toBe(false);
    expect(wantsPretty("json", true)).toBe(false);
    expect(wantsPretty("pretty", false)).toBe(true);
  });
});
