/**
 * A project's alert webhooks: created with a URL, a format (generic JSON, or Slack-compatible
 * `{text}`), the events they want and, for failed runs, optionally which workflows. Each event
 * becomes one stored delivery per matching alert; the deliverer (worker/alert-deliverer.ts) sends
 * it signed and retries it with backoff. The signing secret is shown once and never listed.
 */
import { randomBytes } from "node:crypto";
import type { AlertEvent, AlertJson, CreatedAlertJson, DeliveryJson } from "@flowtrace/contract/spend";
import type { PrismaClient } from "../db/prisma.ts";
import type { Uuid } from "../domain/ids.ts";
import { audit } from "./audit.ts";
import { NotFoundError } from "./errors.ts";

type Row = Awaited<ReturnType<PrismaClient["alert"]["create"]>>;

const alertJson = (a: Row): AlertJson => ({
  id: a.id,
  url: a.url,
  format: a.format as AlertJson["format"],
  events: a.events as AlertEvent[],
  workflow_ids: a.workflowIds,
  created_at: a.createdAt.toISOString(),
});

export async function createAlert(
  prisma: PrismaClient,
  projectId: string,
  input: { url: string; format: "json" | "slack"; events: AlertEvent[]; workflowIds: string[] },
): Promise<CreatedAlertJson> {
  const secret = `whsec_${randomBytes(24).toString("base64url")}`;
  const row = await prisma.alert.create({
    data: {
      projectId,
      url: input.url,
      format: input.format,
      events: [...new Set(input.events)],
      workflowIds: input.workflowIds,
      secret,
    },
  });
  const details = { url: new URL(input.url).origin, events: row.events };
  await audit(prisma, { action: "alert.create", targetType: "alert", targetId: row.id, details }, projectId);
  return { ...alertJson(row), secret };
}

export async function listAlerts(prisma: PrismaClient, projectId: string): Promise<AlertJson[]> {
  const rows = await prisma.alert.findMany({ where: { projectId }, orderBy: { createdAt: "asc" } });
  return rows.map(alertJson);
}

export async function deleteAlert(prisma: PrismaClient, projectId: string, id: Uuid): Promise<void> {
  const { count } = await prisma.alert.deleteMany({ where: { id, projectId } });
  if (count === 0) throw new NotFoundError(`alert ${id} does not exist`);
  await audit(prisma, { action: "alert.delete", targetType: "alert", targetId: id }, projectId);
}

export async function listDeliveries(prisma: PrismaClient, projectId: string): Promise<DeliveryJson[]> {
  const rows = await prisma.alertDelivery.findMany({
    where: { alert: { projectId } },
    orderBy: { createdAt: "desc" },
    take: 200,
  });
  return rows.map((d) => ({
    id: d.id,
    alert_id: d.alertId,
    event: d.event,
    status: d.status as DeliveryJson["status"],
    attempts: d.attempts,
    last_status_code: d.lastStatusCode,
    last_error: d.lastError,
    created_at: d.createdAt.toISOString(),
    delivered_at: d.deliveredAt?.toISOString() ?? null,
  }));
}

/** An event of a project: one pending delivery per alert that wants it (and, for run.failed, its workflow). */
export async function raiseAlert(
  prisma: PrismaClient,
  projectId: string,
  event: AlertEvent,
  payload: Record<string, unknown>,
  workflowId?: string,
): Promise<number> {
  const alerts = await prisma.alert.findMany({ where: { projectId, events: { has: event } } });
  const wanted = alerts.filter(
    (a) => event !== "run.failed" || a.workflowIds.length === 0 || (workflowId && a.workflowIds.includes(workflowId)),
  );
  if (wanted.length === 0) return 0;
  const body = { event, project_id: projectId, at: new Date().toISOString(), ...payload };
  await prisma.alertDelivery.createMany({ data: wanted.map((a) => ({ alertId: a.id, event, payload: body })) });
  return wanted.length;
}
