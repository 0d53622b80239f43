/**
 * Signing in: email and password, single sign-on when the server has it, sign-up for the first
 * account (it becomes the owner) or with an invitation, and the API token for administrators.
 */
import type { Me } from "@flowtrace/contract/access";
import { type FormEvent, useState } from "react";
import { TokenButton } from "../../app/TokenButton.tsx";
import { rest } from "../../lib/rest.ts";

export function SignInPage(props: { me: Me; invitation?: string; onSignedIn: () => void }) {
  const signUp = props.me.auth.sign_up_open || props.invitation !== undefined;
  const [mode, setMode] = useState<"sign-in" | "sign-up">(signUp ? "sign-up" : "sign-in");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const fields = { email: String(form.get("email")), password: String(form.get("password")) };
    setBusy(true);
    setError(null);
    try {
      if (mode === "sign-in") await rest("POST", "/auth/sign-in", fields);
      else {
        const name = String(form.get("name") ?? "").trim();
        const invitation = props.invitation ? { invitation: props.invitation } : {};
        await rest("POST", "/auth/sign-up", { ...fields, ...(name ? { name } : {}), ...invitation });
      }
      props.onSignedIn();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{mode === "sign-in" ? "Sign in to FlowTrace" : "Create your account"}</h1>
      {props.me.auth.sign_up_open && mode === "sign-up" && (
        <p className="muted">No account exists yet: the first one becomes the owner of the default project.</p>
      )}
      <form onSubmit={submit} className="stack">
        <CredentialFields mode={mode} />
        {error && <p className="error">{error}</p>}
        <button type="submit" className="primary" disabled={busy}>
          {mode === "sign-in" ? "Sign in" : "Create account"}
        </button>
      </form>
      {signUp && (
        <button type="button" className="link" onClick={() => setMode(mode === "sign-in" ? "sign-up" : "sign-in")}>
          {mode === "sign-in" ? "Create an account instead" : "I have an account: sign in"}
        </button>
      )}
      {props.me.auth.sso && (
        <button type="button" onClick={() => window.location.assign("/api/auth/oidc/start")}>
          Sign in with {props.me.auth.sso.name}
        </button>
      )}
      <p className="muted">
        Administrators can use the instance token instead: <TokenButton onChange={props.onSignedIn} />
      </p>
    </section>
  );
}

function CredentialFields({ mode }: { mode: "sign-in" | "sign-up" }) {
  return (
    <>
      <label>
        Email <input name="email" type="email" autoComplete="email" required />
      </label>
      {mode === "sign-up" && (
        <label>
          Name <input name="name" autoComplete="name" />
        </label>
      )}
      <label>
        Password{" "}
        <input
          name="password"
          type="password"
          autoComplete={mode === "sign-in" ? "current-password" : "new-password"}
          minLength={mode === "sign-up" ? 10 : 1}
          required
        />
      </label>
    </>
  );
}
