import { describe, expect, it } from "vitest";
import { parseUuid } from "./ids.ts";

describe("parseUuid", () => {
  it("accepts UUIDs in either case and refuses anything else", () => {
    expect(parseUuid("00000000-0000-4000-8000-000000000000")).toBe("00000000-0000-4000-8000-000000000000");
    expect(parseUuid("ABCDEF00-0000-4000-8000-000000000000")).not.toBeNull();
    for (const text of ["", "nope", "00000000-0000-4000-8000-00000000000", " 00000000-0000-4000-8000-000000000000"]) {
      expect(parseUuid(text)).toBeNull();
    }
  });
});
