/**
 * Object ids are UUIDs. A transport parses the text it was given once, at its edge
 * (`parseUuid`); services take the branded `Uuid`, so a lookup can never be handed text that
 * PostgreSQL would refuse as a uuid.
 */
declare const uuidBrand: unique symbol;
export type Uuid = string & { readonly [uuidBrand]: true };

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The id, or null when the text is not a UUID (no object has such an id). */
export function parseUuid(text: string): Uuid | null {
  return UUID_TEXT.test(text) ? (text as Uuid) : null;
}

/** An id that must be one (a row's own id, say): the UUID, or a TypeError for a bug. */
export function uuidOf(text: string): Uuid {
  const id = parseUuid(text);
  if (!id) throw new TypeError(`expected a UUID, got ${JSON.stringify(text.slice(0, 60))}`);
  return id;
}
