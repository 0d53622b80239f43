/**
 * `npm start`. In embedded mode the database starts first — PGlite's WebAssembly compiles and its
 * cluster loads while the rest of the server's modules (≈4 s of them) are still being imported —
 * then api-server.ts starts the API, which takes that database (db/embedded.ts `startEmbeddedEarly`).
 * A configuration error here is left for api-server.ts to report in full.
 */
import { loadConfig } from "./config/env.ts";
import { startEmbeddedEarly } from "./db/embedded.ts";

try {
  const config = loadConfig();
  if (config.databaseUrl === null) startEmbeddedEarly({ dataDir: config.dataDir, port: config.embeddedDbPort });
} catch {
  // reported by api-server.ts
}
await import("./api-server.ts");
