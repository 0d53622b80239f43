/**
 * Removes credentials from text that is about to be stored, logged or shown: the exact secrets we
 * know (configured provider keys, the API token) and anything shaped like a vendor API key or a
 * bearer token — providers and proxies have been known to echo the key they were sent. Pure.
 */
const KEY_SHAPES = [
  // OpenAI (sk-, sk-proj-, sk-svcacct-…), Anthropic (sk-ant-api03-…), and similar `sk-` keys.
  /\bsk-[A-Za-z0-9_-]{16,}/g,
  // Bearer tokens in echoed headers.
  /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{12,}/gi,
  // Google-style API keys.
  /\bAIza[0-9A-Za-z_-]{30,}/g,
];

export const REDACTED = "[redacted]";

export function scrubSecrets(text: string, known: readonly (string | null | undefined)[] = []): string {
  let out = text;
  for (const secret of known) {
    if (secret && secret.length >= 8) out = out.split(secret).join(REDACTED);
  }
  for (const shape of KEY_SHAPES) {
    out = out.replace(shape, (match, bearer?: string) =>
      typeof bearer === "string" && /^Bearer/i.test(bearer)
        ? `${bearer}${REDACTED}`
        : `${match.slice(0, 3)}…${REDACTED}`,
    );
  }
  return out;
}
