/** Create a project (its creator becomes its owner) and switch to it. */
import { type FormEvent, useState } from "react";
import { setProject } from "../../lib/auth.ts";
import { rest } from "../../lib/rest.ts";

export function NewProject() {
  const [error, setError] = useState<string | null>(null);
  const create = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const name = String(new FormData(e.currentTarget).get("name") ?? "").trim();
    try {
      const project = await rest<{ id: string }>("POST", "/projects", { name });
      setProject(project.id);
      window.location.assign("/settings");
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <form onSubmit={create} className="inline-form" aria-label="New project">
      <label>
        New project <input name="name" required maxLength={100} />
      </label>
      <button type="submit">Create project</button>
      {error && <p className="error">{error}</p>}
    </form>
  );
}
