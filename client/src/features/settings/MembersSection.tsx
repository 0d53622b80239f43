/** Members and their roles, and invitations by link (shown once, mailed when the server has SMTP). */
import { type CreatedInvitationJson, type InvitationJson, type Member, ROLES } from "@flowtrace/contract/access";
import { type FormEvent, useState } from "react";
import { CopyButton } from "../../components/CopyButton.tsx";
import { rest } from "../../lib/rest.ts";
import { attempt, useRest } from "./useRest.ts";

export function MembersSection(props: { projectId: string; canManage: boolean }) {
  const base = `/projects/${props.projectId}`;
  const members = useRest<{ items: Member[] }>(props.canManage ? `${base}/members` : null);
  const invitations = useRest<{ items: InvitationJson[] }>(props.canManage ? `${base}/invitations` : null);
  const [created, setCreated] = useState<CreatedInvitationJson | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!props.canManage) return <p className="muted">Only owners and admins see the members.</p>;
  const invite = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const body = { role: String(form.get("role")), ...(email ? { email } : {}) };
    setError(
      await attempt(async () => setCreated(await rest<CreatedInvitationJson>("POST", `${base}/invitations`, body))),
    );
    invitations.reload();
  };
  const change = async (userId: string, role: string | null) => {
    setError(
      await attempt(() => rest(role ? "PUT" : "DELETE", `${base}/members/${userId}`, role ? { role } : undefined)),
    );
    members.reload();
  };
  return (
    <section aria-labelledby="members-title">
      <h2 id="members-title">Members</h2>
      {members.error && <p className="error">{members.error}</p>}
      <MembersTable items={members.data?.items ?? []} onChange={change} />
      {members.data?.items.length === 0 && <p className="muted">No members yet: invite someone.</p>}
      <InviteForm onSubmit={invite} />
      {error && <p className="error">{error}</p>}
      {created && (
        <p className="notice" role="status">
          Invitation link for a {created.role} (shown once{created.emailed ? "; also mailed" : ""}):{" "}
          <code className="secret">{created.url}</code>{" "}
          <CopyButton label="Copy the invitation link" text={() => created.url} />
        </p>
      )}
      <PendingInvitations items={invitations.data?.items ?? []} />
    </section>
  );
}

function PendingInvitations(props: { items: InvitationJson[] }) {
  const open = props.items.filter((i) => !i.accepted_at && !i.revoked_at);
  if (open.length === 0) return null;
  return (
    <p className="muted">
      Open invitations: {open.map((i) => `${i.email ?? "anyone with the link"} as ${i.role}`).join("; ")}
    </p>
  );
}

function MembersTable(props: { items: Member[]; onChange: (userId: string, role: string | null) => void }) {
  return (
    <table className="table">
      <thead>
        <tr>
          <th>Email</th>
          <th>Name</th>
          <th>Role</th>
          <th>Joined</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {props.items.map((m) => (
          <tr key={m.user_id}>
            <td>{m.email}</td>
            <td>{m.name}</td>
            <td>
              <select
                aria-label={`Role of ${m.email}`}
                value={m.role}
                onChange={(e) => props.onChange(m.user_id, e.target.value)}
              >
                {ROLES.map((r) => (
                  <option key={r}>{r}</option>
                ))}
              </select>
            </td>
            <td>{new Date(m.joined_at).toLocaleDateString()}</td>
            <td>
              <button type="button" className="link" onClick={() => props.onChange(m.user_id, null)}>
                Remove
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function InviteForm(props: { onSubmit: (e: FormEvent<HTMLFormElement>) => void }) {
  return (
    <form onSubmit={props.onSubmit} className="inline-form" aria-label="Invite a member">
      <label>
        Email (optional) <input name="email" type="email" />
      </label>
      <label>
        Role{" "}
        <select name="role" defaultValue="member">
          {ROLES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </label>
      <button type="submit">Create invitation link</button>
    </form>
  );
}
