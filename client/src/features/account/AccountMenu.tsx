/** The header's project switcher and who is signed in (with signing out). */
import type { Me } from "@flowtrace/contract/access";
import { createContext, useContext } from "react";
import { getProject, setProject } from "../../lib/auth.ts";
import { rest } from "../../lib/rest.ts";

/** Who the dashboard is: set once by the app from `GET /api/auth/me`. */
export const MeContext = createContext<Me | null>(null);
export const useMeContext = () => useContext(MeContext);

/** The project in use: the one chosen, else the first (the server's default comes first). */
export function currentProject(me: Me | null) {
  const chosen = getProject();
  return (
    me?.projects.find((p) => p.id === chosen) ??
    me?.projects.find((p) => p.name === "default") ??
    me?.projects[0] ??
    null
  );
}

export function AccountMenu() {
  const me = useMeContext();
  if (!me || me.projects.length === 0) return null;
  const project = currentProject(me);
  const switchTo = (id: string) => {
    setProject(id);
    window.location.assign("/");
  };
  const signOut = async () => {
    await rest("POST", "/auth/sign-out");
    setProject(null);
    window.location.assign("/");
  };
  return (
    <span className="account">
      <label className="project-switcher">
        <span className="visually-hidden">Project</span>
        <select aria-label="Project" value={project?.id ?? ""} onChange={(e) => switchTo(e.target.value)}>
          {me.projects.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} ({p.role})
            </option>
          ))}
        </select>
      </label>
      {me.user && (
        <>
          <span className="muted">{me.user.email}</span>
          <button type="button" className="link light" onClick={signOut}>
            Sign out
          </button>
        </>
      )}
    </span>
  );
}
