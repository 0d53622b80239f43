/**
 * Who spent what: the end user, session and tags a run is attributed to; a project's spend grouped
 * by them; its monthly budget; and its alert webhooks. Shared by the REST routes, GraphQL and the
 * dashboard.
 */
import { z } from "zod";

const label = (what: string) =>
  z
    .string()
    .trim()
    .min(1, { message: `expected a non-empty ${what}` })
    .max(200, { message: `expected a ${what} of at most 200 characters` });

export const tagSchema = z
  .string()
  .regex(/^[\p{L}\p{N}_.:/@-]{1,64}$/u, { message: "expected a tag of 1-64 letters, digits or _ . : / @ -" });

/** The fields a run start (or re-run) may carry: on whose behalf it runs, in which session, tagged how. */
export const runAttributionFields = {
  user_id: label("user_id").optional().describe("The end user the run is for (your application's user id)."),
  session_id: label("session_id").optional().describe("The end user's session or conversation."),
  tags: z.array(tagSchema).max(20, { message: "expected at most 20 tags" }).optional(),
};
export const runAttributionSchema = z.strictObject(runAttributionFields);
export type RunAttributionJson = z.infer<typeof runAttributionSchema>;

export const SPEND_GROUPS = ["end_user", "workflow", "model", "tag"] as const;
export type SpendGroup = (typeof SPEND_GROUPS)[number];

const instant = z.iso.datetime({ offset: true, message: "expected an ISO-8601 date-time, e.g. 2026-12-01T00:00:00Z" });

/** `GET /api/projects/:projectId/spend?group_by=&from=&to=` */
export const spendQuery = z.strictObject({
  group_by: z.enum(SPEND_GROUPS, { message: `expected group_by to be one of ${SPEND_GROUPS.join(", ")}` }),
  from: instant.optional(),
  to: instant.optional(),
});

export const spendGroupSchema = z.object({
  key: z.string().nullable().describe("The end user, workflow id, model or tag; null: runs without one."),
  label: z.string().describe("What to show: the workflow's name for a workflow id, the key otherwise."),
  cost_cents: z.string().describe("Exact decimal US cents, as text."),
  runs: z.int(),
  tokens: z.int(),
  cost_complete: z.boolean().describe("False when some step's price is unknown: cost_cents is then a lower bound."),
  unpriced_steps: z.int(),
});

export const spendSchema = z.object({
  group_by: z.enum(SPEND_GROUPS),
  from: z.string(),
  to: z.string(),
  items: z.array(spendGroupSchema),
});
export type SpendJson = z.infer<typeof spendSchema>;
export type SpendGroupJson = z.infer<typeof spendGroupSchema>;

const cents = z
  .string()
  .regex(/^\d{1,12}(\.\d{1,6})?$/, { message: 'expected a decimal amount of US cents as text, e.g. "5000"' });

/** `PUT /api/projects/:projectId/budget` (`monthly_limit_cents: null` removes the budget). */
export const budgetBody = z.strictObject({
  monthly_limit_cents: cents.nullable(),
  alert_at_percent: z.int().min(1).max(100).default(80),
  hard_stop: z.boolean().default(false),
});

export const budgetSchema = z.object({
  monthly_limit_cents: z.string().nullable(),
  alert_at_percent: z.int(),
  hard_stop: z.boolean(),
  month: z.string().describe("The calendar month (UTC) the spend is of, e.g. 2026-12."),
  spent_cents: z.string().describe("This month's exact spend so far (US cents as text)."),
  cost_complete: z.boolean(),
});
export type BudgetJson = z.infer<typeof budgetSchema>;

export const ALERT_EVENTS = ["budget.threshold", "budget.exceeded", "run.failed", "approval.waiting"] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];

/** `POST /api/projects/:projectId/alerts` */
export const alertBody = z.strictObject({
  url: z
    .string()
    .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), { message: "expected an http(s) URL" }),
  format: z.enum(["json", "slack"], { message: "expected json or slack" }).default("json"),
  events: z
    .array(z.enum(ALERT_EVENTS, { message: `expected events among ${ALERT_EVENTS.join(", ")}` }))
    .min(1, { message: "expected at least one event" }),
  workflow_ids: z
    .array(z.uuid({ message: "expected workflow ids" }))
    .max(100)
    .optional()
    .describe("run.failed only for these workflows (opt-in); absent: run.failed of every workflow."),
});

export const alertSchema = z.object({
  id: z.string(),
  url: z.string(),
  format: z.enum(["json", "slack"]),
  events: z.array(z.enum(ALERT_EVENTS)),
  workflow_ids: z.array(z.string()),
  created_at: z.string(),
});

/** The answer to an alert's creation: the only time its signing secret is shown. */
export const createdAlertSchema = alertSchema.extend({
  secret: z.string().describe("whsec_…: verify X-FlowTrace-Signature (HMAC-SHA256) with it; shown once."),
});

export const deliverySchema = z.object({
  id: z.string(),
  alert_id: z.string(),
  event: z.string(),
  status: z.enum(["pending", "delivered", "failed"]),
  attempts: z.int(),
  last_status_code: z.int().nullable(),
  last_error: z.string().nullable(),
  created_at: z.string(),
  delivered_at: z.string().nullable(),
});
export type AlertJson = z.infer<typeof alertSchema>;
export type CreatedAlertJson = z.infer<typeof createdAlertSchema>;
export type DeliveryJson = z.infer<typeof deliverySchema>;
