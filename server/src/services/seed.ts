/**
 * Demo workflows: created on the first start (an empty database) and by `npm run seed`, which also
 * adds missing ones and points unmodified ones at the server's current address. They live in the
 * `default` project.
 */
import type { PrismaClient } from "../db/prisma.ts";
import { canonicalJson } from "../domain/canonical-json.ts";
import { DEMO_WORKFLOWS } from "../domain/workflow/examples.ts";
import { exportWorkflow } from "../domain/workflow/io.ts";
import { DEFAULT_PROJECT } from "./projects.ts";

export const DEMO_OWNER = "flowtrace-demo";

const withoutBase = (graph: unknown) => canonicalJson(graph).replace(/https?:\/\/[^/"]+\/demo\//g, "<base>/demo/");

export async function seedDemoWorkflows(
  prisma: PrismaClient,
  baseUrl: string,
  options: { onlyIfEmpty: boolean },
): Promise<{ created: string[]; updated: string[] }> {
  if (options.onlyIfEmpty && (await prisma.workflow.count()) > 0) return { created: [], updated: [] };
  const created: string[] = [];
  const updated: string[] = [];
  for (const demo of DEMO_WORKFLOWS) {
    const graph = JSON.parse(exportWorkflow(demo.graph(baseUrl)));
    const existing = await prisma.workflow.findFirst({
      where: { ownerId: DEMO_OWNER, name: demo.name, project: { name: DEFAULT_PROJECT } },
    });
    if (!existing) {
      await prisma.workflow.create({
        data: {
          project: { connect: { name: DEFAULT_PROJECT } },
          ownerId: DEMO_OWNER,
          name: demo.name,
          description: demo.description,
          graphJson: graph,
        },
      });
      created.push(demo.name);
    } else if (
      withoutBase(existing.graphJson) === withoutBase(graph) &&
      canonicalJson(existing.graphJson) !== canonicalJson(graph)
    ) {
      await prisma.workflow.update({ where: { id: existing.id }, data: { graphJson: graph } });
      updated.push(demo.name);
    }
  }
  return { created, updated };
}
