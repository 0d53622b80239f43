/** The API token (FLOWTRACE_API_TOKEN), asked for once and kept in this browser; components follow its changes. */
import { useSyncExternalStore } from "react";

const KEY = "flowtrace.apiToken";
const listeners = new Set<() => void>();

/** A value this browser keeps (null where storage is unavailable). */
function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Keep (or, with null, forget) a value, and tell the components that follow it. */
function store(key: string, value: string | null) {
  if (value) localStorage.setItem(key, value);
  else localStorage.removeItem(key);
  for (const listener of listeners) listener();
}

export const getToken = (): string | null => stored(KEY);
export const setToken = (token: string | null) => store(KEY, token);

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
export const getProject = (): string | null => stored(PROJECT_KEY);
export const setProject = (projectId: string | null) => store(PROJECT_KEY, projectId);

/** The API token (when set) and the project (when chosen): sent with every request. */
export function authHeaders(): Record<string, string> {
  const token = getToken();
  const project = getProject();
  return {
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...(project ? { "x-flowtrace-project": project } : {}),
  };
}
