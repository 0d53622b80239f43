/** `/invite/:token`: what the invitation is for, and joining (signing up or in first when needed). */
import type { Me } from "@flowtrace/contract/access";
import { useEffect, useState } from "react";
import { setProject } from "../../lib/auth.ts";
import { rest } from "../../lib/rest.ts";
import { SignInPage } from "./SignInPage.tsx";

interface Invitation {
  project: { id: string; name: string };
  role: string;
  email: string | null;
}

export function InvitePage(props: { me: Me; token: string; onJoined: () => void }) {
  const [invitation, setInvitation] = useState<Invitation | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    rest<Invitation>("GET", `/auth/invitations/${encodeURIComponent(props.token)}`)
      .then(setInvitation)
      .catch((e: Error) => setError(e.message));
  }, [props.token]);
  const joined = (projectId: string) => {
    setProject(projectId);
    window.history.replaceState(null, "", "/");
    props.onJoined();
  };
  if (error) return <p className="error">{error}</p>;
  if (!invitation) return <p className="muted">Loading the invitation…</p>;
  const what = `You are invited to ${invitation.project.name} as ${invitation.role}.`;
  if (props.me.kind !== "user") {
    return (
      <>
        <p className="notice">{what} Create your account (or sign in) to join.</p>
        <SignInPage me={props.me} invitation={props.token} onSignedIn={() => joined(invitation.project.id)} />
      </>
    );
  }
  const accept = async () => {
    try {
      await rest("POST", `/auth/invitations/${encodeURIComponent(props.token)}/accept`);
      joined(invitation.project.id);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section className="card sign-in">
      <h1>Join {invitation.project.name}</h1>
      <p>{what}</p>
      <button type="button" className="primary" onClick={accept}>
        Join as {invitation.role}
      </button>
    </section>
  );
}
