import { lazy, Suspense, useMemo, useState } from "react";
import { ErrorBoundary } from "react-error-boundary";
import { Provider } from "urql";
import { PageError } from "../components/PageError.tsx";
import { getToken, setToken } from "../lib/auth.ts";
import { Link, matchRoute, usePath } from "../lib/router.tsx";
import { StatusPage } from "../pages/StatusPage.tsx";
import WorkflowsPage from "../pages/WorkflowsPage.tsx";
import { createUrqlClient } from "./client.ts";

// The editor and run view pull in React Flow: load them only when needed.
const EditorPage = lazy(() => import("../pages/EditorPage.tsx"));
const RunPage = lazy(() => import("../pages/RunPage.tsx"));
const RunsPage = lazy(() => import("../pages/RunsPage.tsx"));

export function App() {
  const path = usePath();
  const route = matchRoute(path);
  const [tokenVersion, setTokenVersion] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new token needs a new client
  const client = useMemo(() => createUrqlClient(), [tokenVersion]);
  return (
    <Provider value={client}>
      <header className="topbar">
        <Link to="/" className="brand">
          FlowTrace
        </Link>
        <nav aria-label="Main">
          <Link to="/">Workflows</Link>
        </nav>
        <span className="spacer" />
        <TokenButton onChange={() => setTokenVersion((v) => v + 1)} />
      </header>
      <main className="content">
        {/* One boundary per page (keyed by path): an error in one page never blanks the app. */}
        <ErrorBoundary key={path} FallbackComponent={PageError}>
          <Suspense fallback={<p className="muted">Loading…</p>}>
            {route.page === "workflows" && (
              <>
                <WorkflowsPage />
                <StatusPage />
              </>
            )}
            {route.page === "editor" && <EditorPage id={route.id} />}
            {route.page === "runs" && <RunsPage workflowId={route.workflowId} compare={route.compare} />}
            {route.page === "run" && <RunPage id={route.id} />}
            {route.page === "notFound" && <p className="error">Page not found.</p>}
          </Suspense>
        </ErrorBoundary>
      </main>
    </Provider>
  );
}

function TokenButton(props: { onChange: () => void }) {
  const has = Boolean(getToken());
  return (
    <button
      type="button"
      className="link light"
      onClick={() => {
        const value = prompt("API token (FLOWTRACE_API_TOKEN); leave empty to remove", getToken() ?? "");
        if (value === null) return;
        setToken(value.trim() || null);
        props.onChange();
      }}
    >
      {has ? "API token ✓" : "Set API token"}
    </button>
  );
}
