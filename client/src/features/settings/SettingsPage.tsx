/** `/settings`: the current project's people, keys, audit log, spend, budget and alerts. */
import { currentProject, useMeContext } from "../account/AccountMenu.tsx";
import { AuditSection } from "./AuditSection.tsx";
import { BudgetSection } from "./BudgetSection.tsx";
import { KeysSection } from "./KeysSection.tsx";
import { MembersSection } from "./MembersSection.tsx";
import { NewProject } from "./NewProject.tsx";
import { SpendSection } from "./SpendSection.tsx";

export default function SettingsPage() {
  const me = useMeContext();
  const project = currentProject(me);
  if (!me || !project) return <p className="muted">Sign in to see a project's settings.</p>;
  const manage = project.role === "owner" || project.role === "admin";
  return (
    <section className="settings">
      <h1>
        Project {project.name} <span className="muted">(you are {project.role})</span>
      </h1>
      {me.kind !== "api_key" && <NewProject />}
      <SpendSection projectId={project.id} />
      {manage ? (
        <>
          <MembersSection projectId={project.id} canManage={manage} />
          <KeysSection projectId={project.id} />
          <BudgetSection projectId={project.id} />
          <AuditSection projectId={project.id} />
        </>
      ) : (
        <p className="muted">Owners and admins manage members, API keys, the budget and alerts here.</p>
      )}
    </section>
  );
}
