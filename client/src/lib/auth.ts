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

export function authHeaders(): Record<string, string> {
  const token = getToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}
