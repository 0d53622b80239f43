/** A tiny history-API router: enough for a handful of pages, no dependency. */
import { useEffect, useState } from "react";

export function navigate(path: string) {
  if (path === location.pathname + location.search) return;
  history.pushState(null, "", path);
  window.dispatchEvent(new PopStateEvent("popstate"));
}

export function usePath(): string {
  const [path, setPath] = useState(() => location.pathname + location.search);
  useEffect(() => {
    const onPop = () => setPath(location.pathname + location.search);
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  return path;
}

export type Route =
  | { page: "workflows" }
  | { page: "editor"; id: string | null }
  | { page: "runs"; workflowId: string; compare: string[] }
  | { page: "run"; id: string }
  | { page: "notFound" };

export function matchRoute(path: string): Route {
  const url = new URL(path, "http://x");
  const p = url.pathname.replace(/\/+$/, "") || "/";
  if (p === "/") return { page: "workflows" };
  if (p === "/workflows/new") return { page: "editor", id: null };
  let m = /^\/workflows\/([^/]+)$/.exec(p);
  if (m) return { page: "editor", id: decodeURIComponent(m[1] ?? "") };
  m = /^\/workflows\/([^/]+)\/runs$/.exec(p);
  if (m)
    return { page: "runs", workflowId: decodeURIComponent(m[1] ?? ""), compare: url.searchParams.getAll("compare") };
  m = /^\/runs\/([^/]+)$/.exec(p);
  if (m) return { page: "run", id: decodeURIComponent(m[1] ?? "") };
  return { page: "notFound" };
}

export function Link(props: { to: string; children: React.ReactNode; className?: string; "aria-label"?: string }) {
  return (
    <a
      href={props.to}
      className={props.className}
      aria-label={props["aria-label"]}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(props.to);
      }}
    >
      {props.children}
    </a>
  );
}
