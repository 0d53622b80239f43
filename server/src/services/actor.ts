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
 * Who did it: an API key is named by the key (`api_key:<name>`), a signed-in person by their email
 * (`user:<email>`) — they proved who they are, so a name given in a header does not replace that;
 * otherwise the name given, or the door.
 */
export function actorFor(
  caller: { kind: string; keyName?: string; email?: string } | null | undefined,
  given: string | null | undefined,
  door: "api" | "graphql" | "cli",
): string {
  if (caller?.kind === "api_key") return actorOf(`api_key:${caller.keyName ?? ""}`, door);
  if (caller?.kind === "user") return actorOf(`user:${caller.email ?? ""}`, door);
  return actorOf(given, door);
}
