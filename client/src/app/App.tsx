import { RouterProvider } from "@tanstack/react-router";
import { useMemo, useState } from "react";
import { Provider } from "urql";
import { createUrqlClient } from "./client.ts";
import { createAppRouter } from "./routes.tsx";

export function App() {
  const [tokenVersion, setTokenVersion] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new token needs a new client
  const client = useMemo(() => createUrqlClient(), [tokenVersion]);
  const [router] = useState(() => createAppRouter({ onTokenChange: () => setTokenVersion((v) => v + 1) }));
  return (
    <Provider value={client}>
      <RouterProvider router={router} />
    </Provider>
  );
}
