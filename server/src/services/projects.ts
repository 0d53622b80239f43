/**
 * Projects: create, list, find by id or name. Every workflow and dataset (and all under them)
 * belongs to one; the API acts in the caller's project through a project-scoped client
 * (db/project-scope.ts). A fresh database has one project, `default`.
 */
import type { PrismaClient } from "../db/prisma.ts";
import { parseUuid } from "../domain/ids.ts";
import { audit } from "./audit.ts";
import { ConflictError, NotFoundError } from "./errors.ts";
import { currentCaller } from "./request-context.ts";

export const DEFAULT_PROJECT = "default";

export interface ProjectJson {
  id: string;
  name: string;
  created_at: string;
}

type Row = { id: string; name: string; createdAt: Date };

export const projectJson = (p: Row): ProjectJson => ({ id: p.id, name: p.name, created_at: p.createdAt.toISOString() });

export async function createProject(prisma: PrismaClient, name: string): Promise<Row> {
  if (await prisma.project.findUnique({ where: { name } })) {
    throw new ConflictError(`a project named ${name} already exists`);
  }
  const project = await prisma.project.create({ data: { name } });
  const caller = currentCaller();
  if (caller?.kind === "user") {
    await prisma.membership.create({ data: { projectId: project.id, userId: caller.userId, role: "owner" } });
  }
  await audit(
    prisma,
    { action: "project.create", targetType: "project", targetId: project.id, details: { name } },
    project.id,
  );
  return project;
}

export function listProjects(prisma: PrismaClient): Promise<Row[]> {
  return prisma.project.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: 1000 });
}

/** A project by id or by name (`default`); NotFoundError naming what was asked for. */
export async function findProject(prisma: PrismaClient, idOrName: string): Promise<Row> {
  const id = parseUuid(idOrName);
  const project = id
    ? await prisma.project.findUnique({ where: { id } })
    : await prisma.project.findUnique({ where: { name: idOrName } });
  if (!project) throw new NotFoundError(`project ${idOrName} does not exist`);
  return project;
}

export async function renameProject(prisma: PrismaClient, id: string, name: string): Promise<Row> {
  const project = await findProject(prisma, id);
  if (project.name === DEFAULT_PROJECT && name !== DEFAULT_PROJECT) {
    throw new ConflictError("the default project keeps its name (callers without a project header act in it)");
  }
  const taken = await prisma.project.findUnique({ where: { name } });
  if (taken && taken.id !== id) throw new ConflictError(`a project named ${name} already exists`);
  const renamed = await prisma.project.update({ where: { id }, data: { name } });
  const details = { from: project.name, to: name };
  await audit(prisma, { action: "project.update", targetType: "project", targetId: id, details }, id);
  return renamed;
}

/**
 * Delete a project and everything in it (workflows, runs, traces, datasets, keys, members). The
 * `default` project cannot be deleted. Its audit log goes with it; the deletion itself is recorded
 * in the log of `default`, where the instance keeps what happened to its projects.
 */
export async function deleteProject(prisma: PrismaClient, id: string): Promise<void> {
  const project = await findProject(prisma, id);
  if (project.name === DEFAULT_PROJECT) throw new ConflictError("the default project cannot be deleted");
  await prisma.project.delete({ where: { id } });
  const home = await findProject(prisma, DEFAULT_PROJECT);
  const details = { name: project.name };
  await audit(prisma, { action: "project.delete", targetType: "project", targetId: id, details }, home.id);
}
