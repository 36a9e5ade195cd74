import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));
// `npm run dev:addin` serves the pane on its own port and sends API and sign-in calls to a
// Leeway server started with `npm start` (LEEWAY_DEV_SERVER when it runs elsewhere).
const server = process.env.LEEWAY_DEV_SERVER ?? "http://127.0.0.1:3978";

export default defineConfig({
  root,
  base: "/addin/",
  plugins: [react()],
  build: {
    outDir: "dist",
    // Fluent UI and React make one chunk of about 600 kB (170 kB gzip); MSAL is split off.
    chunkSizeWarningLimit: 800,
    emptyOutDir: true,
    rollupOptions: { input: { taskpane: fileURLToPath(new URL("taskpane.html", import.meta.url)) } },
  },
  server: {
    port: 5174,
    proxy: { "/api": server, "/local-m365": server },
  },
});
