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

/** The run as `GET /api/runs/:id` answers once it waits at an approval (an error if it ends instead). */
export async function waitingRun(call: ReturnType<typeof restClient>, runId: string, pollMs = 20) {
  for (;;) {
    const r = await call("GET", `/api/runs/${runId}`);
    if (r.body.status === "waiting") return r.body;
    if (["succeeded", "failed", "canceled"].includes(r.body.status)) {
      throw new Error(`run ${runId} ended (${r.body.status}: ${r.body.error_summary}) instead of waiting`);
    }
    await new Promise((res) => setTimeout(res, pollMs));
  }
}
