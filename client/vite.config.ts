import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// In development the dashboard runs on Vite (port 5173) and proxies the API to the FlowTrace server.
// biome-ignore lint/style/noProcessEnv: build tooling, not application code
const api = process.env.FLOWTRACE_API_URL ?? "http://127.0.0.1:3000";

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true },
  server: {
    port: 5173,
    proxy: {
      "/graphql": { target: api, changeOrigin: true },
      "/api": { target: api, changeOrigin: true },
      "/health": { target: api },
      "/version": { target: api },
    },
  },
});
