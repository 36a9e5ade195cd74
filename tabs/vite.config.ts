import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The Teams tab. Built into tabs/dist, which the server serves at /tabs/.
// Pages other than "My outcomes", the charts, teams-js and MSAL are dynamic imports, so the
// first load carries only the personal tab.
const root = decodeURIComponent(new URL(".", import.meta.url).pathname);

export default defineConfig(({ mode }) => ({
  root,
  // React picks its production build from process.env.NODE_ENV; tie it to Vite's mode, so a
  // build started with NODE_ENV=test (as under jest) is still a production build.
  define: { "process.env.NODE_ENV": JSON.stringify(mode === "production" ? "production" : "development") },
  base: "./",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 700,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      input: { index: `${root}index.html`, "auth-redirect": `${root}auth-redirect.html` },
    },
  },
  server: {
    // `npm run dev` of the server on 3978 answers the API; the dev server proxies to it.
    proxy: { "/api": "http://127.0.0.1:3978", "/local-m365": "http://127.0.0.1:3978" },
  },
}));
