/**
 * The caller's project's secrets over REST (project admins; a value is never returned):
 * - `POST /api/secrets {name, value}` → 201 `{name, created_at, updated_at, created_by, updated_by}`;
 *   a name already taken is 409;
 * - `GET /api/secrets` → `{items}`, by name;
 * - `PUT /api/secrets/:name {value}` → 200, `DELETE /api/secrets/:name` → 204 (unknown name: 404).
 */
import { secretBody, secretName, secretUpdateBody } from "@flowtrace/contract/secrets";
import type { Hono } from "hono";
import { requestScope } from "../http/caller.ts";
import type { Keyring } from "../secrets/keyring.ts";
import { createSecret, deleteSecret, listSecrets, updateSecret } from "../services/secrets.ts";
import { BadRequest, body, type ParamSource } from "./request.ts";

function nameParam(c: ParamSource): string {
  const raw = c.req.param("name") ?? "";
  const parsed = secretName.safeParse(raw);
  if (!parsed.success)
    throw new BadRequest(`invalid secret name '${raw.slice(0, 80)}': ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

export function secretRoutes(app: Hono, deps: { keyring: Keyring }): void {
  app.post("/secrets", async (c) => {
    const { prisma, caller } = requestScope();
    const b = await body(c.req.raw, secretBody);
    return c.json(await createSecret(prisma, deps.keyring, caller.projectId, b), 201);
  });
  app.get("/secrets", async (c) => c.json({ items: await listSecrets(requestScope().prisma) }));
  app.put("/secrets/:name", async (c) => {
    const { prisma, caller } = requestScope();
    const name = nameParam(c);
    const b = await body(c.req.raw, secretUpdateBody);
    return c.json(await updateSecret(prisma, deps.keyring, caller.projectId, { name, value: b.value }));
  });
  app.delete("/secrets/:name", async (c) => {
    await deleteSecret(requestScope().prisma, nameParam(c));
    return c.body(null, 204);
  });
}
