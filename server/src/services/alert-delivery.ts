/**
 * Sending alert deliveries: each due delivery is claimed (SKIP LOCKED: several workers never send
 * one twice at once), POSTed to its alert's URL with a 10 s timeout and signed, and marked
 * delivered on a 2xx; otherwise retried with exponential backoff (2 s, 4 s, … 64 s), and marked
 * failed after 7 attempts. Every attempt's status code or error is kept for the deliveries list.
 *
 * The signature: `X-FlowTrace-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`
 * with the alert's secret (the same scheme as Stripe's, so existing verifiers fit). A webhook on an
 * internal address (loopback, private, link-local) is refused unless FLOWTRACE_FETCH_ALLOW lists it.
 */
import { createHmac } from "node:crypto";
import type { PrismaClient } from "../db/prisma.ts";
import { postJson } from "../tools/outbound-post.ts";

const MAX_ATTEMPTS = 7;
const TIMEOUT_MS = 10_000;
/** A claimed delivery is not picked again for this long (a sender that died mid-send lets go). */
const CLAIM_MS = 60_000;

export const backoffMs = (attempts: number) => 1_000 * 2 ** Math.min(attempts, 6);

export function signature(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`;
}

type Payload = Record<string, unknown> & { event: string };

/** Slack's incoming webhooks take `{text}`: one line saying what happened. */
export function slackText(p: Payload): string {
  const project = `project ${String(p.project_id)}`;
  switch (p.event) {
    case "budget.threshold":
      return `:warning: FlowTrace ${project} has spent ${p.spent_cents} of its ${p.monthly_limit_cents} cents budget for ${p.month} (alert at ${p.alert_at_percent}%)`;
    case "budget.exceeded":
      return `:no_entry: FlowTrace ${project} used up its ${p.monthly_limit_cents} cents budget for ${p.month}${p.hard_stop ? ": new runs are refused" : ""}`;
    case "run.failed":
      return `:x: FlowTrace run ${p.run_id} of ${p.workflow_name} failed: ${p.error ?? "no error summary"}`;
    default:
      return `:hourglass: FlowTrace run ${p.run_id} of ${p.workflow_name} waits for approval (${(p.nodes as string[] | undefined)?.join(", ") ?? ""})`;
  }
}

async function claimDue(prisma: PrismaClient, now: Date, limit: number): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    UPDATE alert_deliveries SET next_attempt_at = ${new Date(now.getTime() + CLAIM_MS)}
    WHERE id IN (SELECT id FROM alert_deliveries WHERE status = 'pending' AND next_attempt_at <= ${now}
                 ORDER BY next_attempt_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  return rows.map((r) => r.id);
}

/** Sent under the fetch tool's SSRF rules (outbound-post.ts): an internal address needs FLOWTRACE_FETCH_ALLOW. */
async function post(url: string, body: string, headers: Record<string, string>, allow: readonly string[]) {
  try {
    const status = await postJson(new URL(url), body, headers, { allow, timeoutMs: TIMEOUT_MS });
    return { code: status, error: status >= 200 && status < 300 ? null : `HTTP ${status}` };
  } catch (error) {
    return { code: null, error: (error as Error).name === "TimeoutError" ? "timed out" : (error as Error).message };
  }
}

async function deliverOne(prisma: PrismaClient, id: string, now: Date, allow: readonly string[]): Promise<boolean> {
  const delivery = await prisma.alertDelivery.findUnique({ where: { id }, include: { alert: true } });
  if (!delivery) return false;
  const payload = delivery.payload as Payload;
  const body = JSON.stringify(delivery.alert.format === "slack" ? { text: slackText(payload) } : payload);
  const headers = {
    "content-type": "application/json",
    "user-agent": "FlowTrace-Alerts/1",
    "x-flowtrace-event": delivery.event,
    "x-flowtrace-delivery": delivery.id,
    "x-flowtrace-signature": signature(delivery.alert.secret, body, now),
  };
  const sent = await post(delivery.alert.url, body, headers, allow);
  const attempts = delivery.attempts + 1;
  const delivered = sent.error === null;
  await prisma.alertDelivery.update({
    where: { id },
    data: {
      attempts,
      lastStatusCode: sent.code,
      lastError: sent.error,
      status: delivered ? "delivered" : attempts >= MAX_ATTEMPTS ? "failed" : "pending",
      ...(delivered ? { deliveredAt: new Date() } : { nextAttemptAt: new Date(Date.now() + backoffMs(attempts)) }),
    },
  });
  return delivered;
}

/**
 * Send what is due now; the number delivered. `allow`: FLOWTRACE_FETCH_ALLOW (a webhook on an
 * internal address is refused otherwise, as the fetch tool's requests are).
 */
export async function deliverDueAlerts(
  prisma: PrismaClient,
  options: { allow: readonly string[]; now?: Date; limit?: number },
): Promise<number> {
  const now = options.now ?? new Date();
  const ids = await claimDue(prisma, now, options.limit ?? 20);
  const results = await Promise.all(ids.map((id) => deliverOne(prisma, id, now, options.allow)));
  return results.filter(Boolean).length;
}
