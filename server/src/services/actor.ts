/**
 * Who made a decision, as stored and traced: the name a caller gives (a header, a CLI flag), kept
 * to printable text of at most 100 characters, or the door the request came through.
 */
export function actorOf(given: string | null | undefined, door: "api" | "graphql" | "cli"): string {
  const name = (given ?? "")
    .replace(/[^\p{L}\p{N}\p{P}\p{Zs}]/gu, "")
    .trim()
    .slice(0, 100);
  return name === "" ? door : name;
}
