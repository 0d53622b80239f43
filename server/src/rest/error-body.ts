/** The one JSON error shape of every HTTP route: `{error: {code, message, ...}}`. */
export function errorBody(code: string, message: string, extra: Record<string, unknown> = {}) {
  return { error: { code, message, ...extra } };
}
