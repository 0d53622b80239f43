import { RouterProvider } from "@tanstack/react-router";
import { useEffect, useMemo, useState } from "react";
import { Provider } from "urql";
import { Skeleton } from "../components/Skeleton.tsx";
import { currentProject, MeContext } from "../features/account/AccountMenu.tsx";
import { InvitePage } from "../features/account/InvitePage.tsx";
import { SignInPage } from "../features/account/SignInPage.tsx";
import { useMe } from "../features/account/useMe.ts";
import { getProject, setProject, useApiToken } from "../lib/auth.ts";
import { createUrqlClient } from "./client.ts";
import { createAppRouter } from "./routes.tsx";

/**
 * Who is here decides what shows: the sign-in page when the server needs credentials and this
 * browser has none; an invitation link's page; otherwise the dashboard, in the chosen project.
 */
export function App() {
  const { me, error, reload } = useMe();
  const token = useApiToken();
  const invite = /^\/invite\/([^/]+)$/.exec(window.location.pathname)?.[1];
  useEffect(() => {
    // A project this person no longer belongs to (or never did) is forgotten.
    const project = currentProject(me);
    if (me && project && project.id !== getProject()) setProject(project.id);
  }, [me]);
  if (!me && !error) return <Skeleton label="Loading" lines={4} />;
  if (me && invite) return <InvitePage me={me} token={decodeURIComponent(invite)} onJoined={reload} />;
  if (me && me.kind === "anonymous" && !token) {
    return (
      <main className="content">
        <SignInPage me={me} onSignedIn={reload} />
      </main>
    );
  }
  return (
    <MeContext.Provider value={me}>
      <Dashboard onTokenChange={reload} />
    </MeContext.Provider>
  );
}

function Dashboard(props: { onTokenChange: () => void }) {
  const [tokenVersion, setTokenVersion] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new token needs a new client
  const client = useMemo(() => createUrqlClient(), [tokenVersion]);
  const [router] = useState(() =>
    createAppRouter({
      onTokenChange: () => {
        setTokenVersion((v) => v + 1);
        props.onTokenChange();
      },
    }),
  );
  return (
    <Provider value={client}>
      <RouterProvider router={router} />
    </Provider>
  );
}
