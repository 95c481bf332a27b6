import { defineConfig } from "vite";
import { resolve } from "node:path";

// Two pages from one source tree: index.html (specula server) and alertmanager.html
// (specula alertmanager). Built straight into the jar's classes so Maven packages them;
// base "./" because the server rewrites index.html with a <base href> for its external path.
export default defineConfig({
  root: resolve(import.meta.dirname, "src/main/web"),
  base: "./",
  publicDir: false,
  oxc: { jsx: { runtime: "automatic" } },
  build: {
    outDir: resolve(import.meta.dirname, "target/classes/specula-ui"),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      // Mantine marks its modules "use client" (for React Server Components): meaningless here.
      onwarn(w, warn) {
        if (w.code !== "MODULE_LEVEL_DIRECTIVE") warn(w);
      },
      input: {
        index: resolve(import.meta.dirname, "src/main/web/index.html"),
        alertmanager: resolve(import.meta.dirname, "src/main/web/alertmanager.html"),
      },
    },
  },
  server: {
    proxy: { "/api": "http://localhost:9090" },
  },
  test: {
    root: resolve(import.meta.dirname),
    include: ["src/test/web/**/*.test.{ts,tsx}"],
    // codemirror-promql's "main" is CommonJS, which would load a second @codemirror/state
    // beside the ESM one: let Vite resolve it (its "module" build) like the app bundle does.
    server: { deps: { inline: [/@prometheus-io\//] } },
    alias: [
      { find: /^@prometheus-io\/codemirror-promql$/, replacement: resolve(import.meta.dirname, "node_modules/@prometheus-io/codemirror-promql/dist/esm/index.js") },
      { find: /^@prometheus-io\/lezer-promql$/, replacement: resolve(import.meta.dirname, "node_modules/@prometheus-io/lezer-promql/dist/index.es.js") },
    ],
  },
});
