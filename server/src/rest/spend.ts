/**
 * A project's spend, budget and alerts over REST (another project is 404):
 * - `GET /api/projects/:projectId/spend?group_by=end_user|workflow|model|tag&from=&to=` → exact sums
 *   per group (`runs:read`; default range: this calendar month so far, UTC);
 * - `GET|PUT /api/projects/:projectId/budget` → the monthly limit, threshold and hard stop (admin);
 * - `POST|GET /api/projects/:projectId/alerts`, `DELETE …/alerts/:alertId`, `GET …/alerts/deliveries` (admin).
 */
import { alertBody, budgetBody, spendQuery } from "@flowtrace/contract/spend";
import type { Hono } from "hono";
import type { PrismaClient } from "../db/prisma.ts";
import { requestScope } from "../http/caller.ts";
import { createAlert, deleteAlert, listAlerts, listDeliveries } from "../services/alerts.ts";
import { getBudget, setBudget } from "../services/budgets.ts";
import { monthOf, projectSpend } from "../services/spend.ts";
import { managedProject } from "./projects.ts";
import { BadRequest, body, idParam, type ParamSource, query } from "./request.ts";

export function spendRoutes(app: Hono, deps: { prisma: PrismaClient }): void {
  const project = (c: ParamSource) => managedProject(deps.prisma, requestScope().caller, c);
  app.get("/projects/:projectId/spend", async (c) => {
    const { id } = await project(c);
    const q = query(c, spendQuery);
    const from = q.from ? new Date(q.from) : monthOf(new Date()).start;
    const to = q.to ? new Date(q.to) : new Date();
    if (from >= to)
      throw new BadRequest("invalid query: from: expected a time before to", [
        { path: "from", message: "expected a time before to" },
      ]);
    return c.json(await projectSpend(deps.prisma, id, { groupBy: q.group_by, from, to }));
  });
  app.get("/projects/:projectId/budget", async (c) => c.json(await getBudget(deps.prisma, (await project(c)).id)));
  app.put("/projects/:projectId/budget", async (c) => {
    const { id } = await project(c);
    const b = await body(c.req.raw, budgetBody);
    const input = {
      monthlyLimitCents: b.monthly_limit_cents,
      alertAtPercent: b.alert_at_percent,
      hardStop: b.hard_stop,
    };
    return c.json(await setBudget(deps.prisma, id, input));
  });
  alertRoutes(app, deps, project);
}

function alertRoutes(app: Hono, deps: { prisma: PrismaClient }, project: (c: ParamSource) => Promise<{ id: string }>) {
  app.post("/projects/:projectId/alerts", async (c) => {
    const { id } = await project(c);
    const b = await body(c.req.raw, alertBody);
    const input = { url: b.url, format: b.format, events: b.events, workflowIds: b.workflow_ids ?? [] };
    return c.json(await createAlert(deps.prisma, id, input), 201);
  });
  app.get("/projects/:projectId/alerts", async (c) =>
    c.json({ items: await listAlerts(deps.prisma, (await project(c)).id) }),
  );
  app.get("/projects/:projectId/alerts/deliveries", async (c) =>
    c.json({ items: await listDeliveries(deps.prisma, (await project(c)).id) }),
  );
  app.delete("/projects/:projectId/alerts/:alertId", async (c) => {
    const { id } = await project(c);
    await deleteAlert(deps.prisma, id, idParam(c, "alertId", "alert"));
    return c.body(null, 204);
  });
}
