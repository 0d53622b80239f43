/**
 * The audit log: who did what in a project. Use cases record their action with `audit()`, which
 * takes the actor and the project from the request being served (services/request-context.ts);
 * outside a request (a worker, the engine) nothing is recorded — those are not anyone's actions.
 * Append-only: nothing here changes or deletes a row. Details never hold secrets (callers pass ids,
 * names and counts, never keys or document contents).
 */
import type { PrismaClient } from "../db/prisma.ts";
import type { Uuid } from "../domain/ids.ts";
import { type Caller, currentCaller } from "./request-context.ts";

export type AuditAction =
  | "workflow.create"
  | "workflow.update"
  | "workflow.delete"
  | "workflow.restore"
  | "run.start"
  | "run.cancel"
  | "run.rerun"
  | "approval.decide"
  | "api_key.create"
  | "api_key.revoke"
  | "project.create"
  | "project.update"
  | "project.delete"
  | "member.invite"
  | "member.join"
  | "member.role_change"
  | "member.remove"
  | "budget.update"
  | "alert.create"
  | "alert.delete"
  | "secret.create"
  | "secret.update"
  | "secret.delete"
  | "mcp_server.create"
  | "mcp_server.update"
  | "mcp_server.delete";

export interface Actor {
  type: "user" | "api_key" | "instance";
  id: string;
  name: string;
}

export function actorOfCaller(caller: Caller): Actor {
  if (caller.kind === "api_key") return { type: "api_key", id: caller.keyId, name: caller.keyName };
  if (caller.kind === "user") return { type: "user", id: caller.userId, name: caller.email };
  return caller.kind === "local"
    ? { type: "instance", id: "local", name: "local owner" }
    : { type: "instance", id: "instance", name: "instance administrator" };
}

export interface AuditRecord {
  action: AuditAction;
  targetType: string;
  targetId: string;
  details?: Record<string, unknown>;
}

/** Record an action of the current request's caller, in its project (or `projectId`). */
export async function audit(prisma: PrismaClient, entry: AuditRecord, projectId?: string): Promise<void> {
  const caller = currentCaller();
  if (!caller) return;
  await recordAudit(prisma, actorOfCaller(caller), projectId ?? caller.projectId, entry);
}

export async function recordAudit(prisma: PrismaClient, actor: Actor, projectId: string, entry: AuditRecord) {
  await prisma.auditEntry.create({
    data: {
      projectId,
      actorType: actor.type,
      actorId: actor.id,
      actorName: actor.name,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      details: (entry.details ?? {}) as object,
    },
  });
}

export interface AuditEntryJson {
  id: string;
  at: string;
  actor: Actor;
  action: string;
  target_type: string;
  target_id: string;
  details: unknown;
}

/** A project's log, newest first, a page at a time (`cursor`: the last id of the previous page). */
export async function listAudit(
  prisma: PrismaClient,
  projectId: string,
  page: { limit: number; cursor?: Uuid | undefined },
): Promise<{ items: AuditEntryJson[]; next_cursor: string | null }> {
  const rows = await prisma.auditEntry.findMany({
    where: { projectId },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: page.limit + 1,
    ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
  });
  const items = rows.slice(0, page.limit).map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    actor: { type: r.actorType as Actor["type"], id: r.actorId, name: r.actorName },
    action: r.action,
    target_type: r.targetType,
    target_id: r.targetId,
    details: r.details,
  }));
  return { items, next_cursor: rows.length > page.limit ? (items.at(-1)?.id ?? null) : null };
}
