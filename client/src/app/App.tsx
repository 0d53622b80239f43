import { Client, cacheExchange, fetchExchange, Provider } from "urql";
import { StatusPage } from "../pages/StatusPage.tsx";

const client = new Client({ url: "/graphql", exchanges: [cacheExchange, fetchExchange] });

export function App() {
  return (
    <Provider value={client}>
      <header className="topbar">
        <span className="brand">FlowTrace</span>
      </header>
      <main className="content">
        <StatusPage />
      </main>
    </Provider>
  );
}
