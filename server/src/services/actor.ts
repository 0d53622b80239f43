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

/**
 * Who did it: an API key is named by the key (`api_key:<name>`) — it proved who it is, so a name it
 * gives in a header does not replace that; otherwise the name given, or the door.
 */
export function actorFor(
  caller: { kind: string; keyName?: string } | null | undefined,
  given: string | null | undefined,
  door: "api" | "graphql" | "cli",
): string {
  if (caller?.kind === "api_key") return actorOf(`api_key:${caller.keyName ?? ""}`, door);
  return actorOf(given, door);
}
