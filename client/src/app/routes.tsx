/**
 * The dashboard's routes (TanStack Router, code-based): typed path params and search, and blocking
 * of in-app navigation (the editor's unsaved changes). Pages stay plain components with props.
 */

import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  Link,
  Outlet,
  useRouterState,
} from "@tanstack/react-router";
import { lazy, Suspense } from "react";
import { ErrorBoundary } from "react-error-boundary";
import { PageError } from "../components/PageError.tsx";
import { Skeleton } from "../components/Skeleton.tsx";
import { AccountMenu } from "../features/account/AccountMenu.tsx";
import { PendingBadge } from "../features/approvals/PendingBadge.tsx";
import { StatusPage } from "../features/status/StatusPage.tsx";
import WorkflowsPage from "../features/workflows/WorkflowsPage.tsx";
import { parseSearch, stringifySearch } from "./search-params.ts";
import { TokenButton } from "./TokenButton.tsx";

// The editor and run view pull in React Flow: load them only when needed.
const EditorPage = lazy(() => import("../features/workflow-editor/EditorPage.tsx"));
const RunPage = lazy(() => import("../features/run-trace/RunPage.tsx"));
const RunsPage = lazy(() => import("../features/runs/RunsPage.tsx"));
const RunDiffPage = lazy(() => import("../features/run-diff/RunDiffPage.tsx"));
const ApprovalsPage = lazy(() => import("../features/approvals/ApprovalsPage.tsx"));
const DatasetsPage = lazy(() => import("../features/evals/DatasetsPage.tsx"));
const DatasetPage = lazy(() => import("../features/evals/DatasetPage.tsx"));
const WorkflowMetricsPage = lazy(() => import("../features/metrics/WorkflowMetricsPage.tsx"));
const ExperimentsPage = lazy(() => import("../features/evals/ExperimentsPage.tsx"));
const ExperimentPage = lazy(() => import("../features/evals/ExperimentPage.tsx"));
const SettingsPage = lazy(() => import("../features/settings/SettingsPage.tsx"));
const ExperimentComparePage = lazy(() => import("../features/evals/ExperimentComparePage.tsx"));

/** What the app hands the routes: a new API token needs a new GraphQL client. */
export interface RouterContext {
  onTokenChange: () => void;
}

function RootLayout() {
  const { onTokenChange } = rootRoute.useRouteContext();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  return (
    <>
      <header className="topbar">
        <Link to="/" className="brand">
          FlowTrace
        </Link>
        <nav aria-label="Main">
          <Link to="/">Workflows</Link>
          <Link to="/datasets">Datasets</Link>
          <PendingBadge />
          <Link to="/settings">Settings</Link>
        </nav>
        <span className="spacer" />
        <AccountMenu />
        <TokenButton onChange={onTokenChange} />
      </header>
      <main className="content">
        {/* One boundary per page: an error in one page never blanks the app, and leaving the page
            clears it (resetKeys, not a key: a new draft's first save changes the path in place). */}
        <ErrorBoundary resetKeys={[pathname]} FallbackComponent={PageError}>
          <Suspense fallback={<Skeleton label="Loading" lines={6} />}>
            <Outlet />
          </Suspense>
        </ErrorBoundary>
      </main>
    </>
  );
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: RootLayout,
  notFoundComponent: () => <p className="error">Page not found.</p>,
});

const workflowsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/",
  component: () => (
    <>
      <WorkflowsPage />
      <StatusPage />
    </>
  ),
});

/** `/workflows/new` is a new draft; saving it moves to its id without leaving the editor. */
export const editorRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/workflows/$workflowId",
  component: function EditorRoute() {
    const { workflowId } = editorRoute.useParams();
    return <EditorPage id={workflowId === "new" ? null : workflowId} />;
  },
});

const runsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/workflows/$workflowId/runs",
  validateSearch: (search: Record<string, unknown>): { compare?: string[] } => {
    const compare = [search.compare].flat().filter((v): v is string => typeof v === "string");
    return compare.length ? { compare } : {};
  },
  component: function RunsRoute() {
    const { workflowId } = runsRoute.useParams();
    const { compare } = runsRoute.useSearch();
    return <RunsPage workflowId={workflowId} compare={compare ?? []} />;
  },
});

const runRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/runs/$runId",
  component: function RunRoute() {
    const { runId } = runRoute.useParams();
    return <RunPage key={runId} id={runId} />;
  },
});

/** `/runs/:id/diff?against=:otherId`: the run step by step against another. */
export const runDiffRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/runs/$runId/diff",
  validateSearch: (search: Record<string, unknown>): { against?: string } =>
    typeof search.against === "string" ? { against: search.against } : {},
  component: function RunDiffRoute() {
    const { runId } = runDiffRoute.useParams();
    const { against } = runDiffRoute.useSearch();
    return <RunDiffPage id={runId} against={against ?? null} />;
  },
});

const approvalsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/approvals",
  component: ApprovalsPage,
});

const datasetsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/datasets",
  component: DatasetsPage,
});

const datasetRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/datasets/$datasetId",
  component: function DatasetRoute() {
    const { datasetId } = datasetRoute.useParams();
    return <DatasetPage key={datasetId} id={datasetId} />;
  },
});

const metricsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/workflows/$workflowId/metrics",
  component: function MetricsRoute() {
    const { workflowId } = metricsRoute.useParams();
    return <WorkflowMetricsPage key={workflowId} workflowId={workflowId} />;
  },
});

const experimentsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/workflows/$workflowId/experiments",
  component: function ExperimentsRoute() {
    const { workflowId } = experimentsRoute.useParams();
    return <ExperimentsPage key={workflowId} workflowId={workflowId} />;
  },
});

const experimentRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/experiments/$experimentId",
  component: function ExperimentRoute() {
    const { experimentId } = experimentRoute.useParams();
    return <ExperimentPage key={experimentId} id={experimentId} />;
  },
});

/** `/experiments/:id/compare?against=:otherId`: the experiment item by item against another. */
const experimentCompareRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/experiments/$experimentId/compare",
  validateSearch: (search: Record<string, unknown>): { against?: string } =>
    typeof search.against === "string" ? { against: search.against } : {},
  component: function ExperimentCompareRoute() {
    const { experimentId } = experimentCompareRoute.useParams();
    const { against } = experimentCompareRoute.useSearch();
    return <ExperimentComparePage id={experimentId} against={against ?? null} />;
  },
});

const settingsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/settings",
  component: SettingsPage,
});

const routeTree = rootRoute.addChildren([
  settingsRoute,
  workflowsRoute,
  editorRoute,
  runsRoute,
  runRoute,
  runDiffRoute,
  approvalsRoute,
  datasetsRoute,
  datasetRoute,
  experimentsRoute,
  metricsRoute,
  experimentRoute,
  experimentCompareRoute,
]);

export function createAppRouter(context: RouterContext) {
  return createRouter({ routeTree, context, parseSearch, stringifySearch, defaultPreload: false });
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
