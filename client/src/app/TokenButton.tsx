/** Sets or removes the API token (FLOWTRACE_API_TOKEN) the dashboard sends. */
import { getToken, setToken, useApiToken } from "../lib/auth.ts";

export function TokenButton(props: { onChange: () => void }) {
  const has = Boolean(useApiToken());
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
