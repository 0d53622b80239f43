/** A JSON client for the REST API in tests: `call(method, path, body?, headers?)` → `{status, body}`. */
export function restClient(baseUrl: () => string) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: { "content-type": "application/json", ...headers },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: tests read the answer's fields freely
    return { status: res.status, body: (text ? JSON.parse(text) : null) as any };
  };
}

/** The run as `GET /api/runs/:id` answers once it has ended (succeeded, failed or canceled). */
export async function finishedRun(call: ReturnType<typeof restClient>, runId: string, pollMs = 25) {
  for (;;) {
    const r = await call("GET", `/api/runs/${runId}`);
    if (["succeeded", "failed", "canceled"].includes(r.body.status)) return r.body;
    await new Promise((res) => setTimeout(res, pollMs));
  }
}
