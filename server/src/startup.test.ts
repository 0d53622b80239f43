import { describe, expect, it } from "vitest";
import { ConfigError } from "./config/env.ts";
import { MigrationError } from "./db/migrate.ts";
import { fatalLine } from "./startup.ts";

describe("fatalLine", () => {
  it("turns expected start-up failures into one actionable line", () => {
    expect(fatalLine(new ConfigError("PORT", "is invalid: expected an integer"))).toBe(
      "flowtrace: Invalid configuration: PORT is invalid: expected an integer",
    );
    const unreachable = fatalLine(
      new MigrationError("unreachable", "cannot reach PostgreSQL at postgresql://h/db (ECONNREFUSED)"),
    );
    expect(unreachable).toMatch(/cannot reach PostgreSQL.*unset DATABASE_URL to use the embedded database/);
    const inUse = Object.assign(new Error("listen EADDRINUSE: address already in use 127.0.0.1:3000"), {
      code: "EADDRINUSE",
    });
    expect(fatalLine(inUse)).toMatch(/port is already in use.*set PORT/);
    expect(fatalLine(new Error("first line\nsecond line"))).toBe("flowtrace: failed to start: first line");
    for (const line of [unreachable, fatalLine(inUse)]) expect(line).not.toContain("\n");
  });
});
