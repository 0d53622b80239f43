/** The API token (FLOWTRACE_API_TOKEN), asked for once and kept in this browser; components follow its changes. */
import { useSyncExternalStore } from "react";

const KEY = "flowtrace.apiToken";
const listeners = new Set<() => void>();

export function getToken(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string | null) {
  if (token) localStorage.setItem(KEY, token);
  else localStorage.removeItem(KEY);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Another tab of this dashboard set or removed it.
  const fromOtherTab = (e: StorageEvent) => e.key === KEY && listener();
  window.addEventListener("storage", fromOtherTab);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", fromOtherTab);
  };
}

/** The current token; the component renders again whenever it is set or removed (here or in another tab). */
export function useApiToken(): string | null {
  return useSyncExternalStore(subscribe, getToken, () => null);
}

const PROJECT_KEY = "flowtrace.project";

/** The project this browser works in (an id), or null: the server's default for this caller. */
export function getProject(): string | null {
  try {
    return localStorage.getItem(PROJECT_KEY);
  } catch {
    return null;
  }
}

export function setProject(projectId: string | null) {
  if (projectId) localStorage.setItem(PROJECT_KEY, projectId);
  else localStorage.removeItem(PROJECT_KEY);
  for (const listener of listeners) listener();
}

/** The API token (when set) and the project (when chosen): sent with every request. */
export function authHeaders(): Record<string, string> {
  const token = getToken();
  const project = getProject();
  return {
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...(project ? { "x-flowtrace-project": project } : {}),
  };
}
