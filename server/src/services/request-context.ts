/**
 * The request being served: its caller and its project-scoped client. The HTTP layer sets it for
 * each identified request (http/caller.ts); the use cases read it to record who did what (the
 * audit log). Workers and the engine run outside any request: there is none.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { ApiScope, Role } from "@flowtrace/contract/access";
import type { PrismaClient } from "../db/prisma.ts";

interface CallerBase {
  /** The project the request acts in. */
  projectId: string;
  projectName: string;
}

export type Caller =
  | (CallerBase & { kind: "local" | "instance" })
  | (CallerBase & { kind: "api_key"; keyId: string; keyName: string; scopes: ApiScope[] })
  | (CallerBase & { kind: "user"; userId: string; userName: string; email: string; role: Role; sessionId: string });

/** How a caller is named where its actions are recorded. */
export function callerName(caller: Caller): string {
  if (caller.kind === "api_key") return `api_key:${caller.keyId}`;
  return caller.kind === "user" ? `user:${caller.userId}` : caller.kind;
}

const scope = new AsyncLocalStorage<{ caller: Caller; prisma: PrismaClient }>();

/** The current request's caller and project-scoped client (REST handlers). */
export function requestScope(): { caller: Caller; prisma: PrismaClient } {
  const current = scope.getStore();
  if (!current) throw new Error("no caller: this code runs outside an identified request");
  return current;
}

export function runInRequest<T>(request: { caller: Caller; prisma: PrismaClient }, fn: () => T): T {
  return scope.run(request, fn);
}

/** The current request's caller, or null outside a request (a worker, the engine, the CLI). */
export function currentCaller(): Caller | null {
  return scope.getStore()?.caller ?? null;
}
