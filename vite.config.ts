import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

/**
 * One config for the SPA build (root `web/`, output `dist/web`) and for vitest.
 * Unit and integration tests run in node; component tests opt into jsdom with a
 * `// @vitest-environment jsdom` docblock.
 */
export default defineConfig({
  root: "web",
  plugins: [react()],
  build: {
    outDir: "../dist/web",
    emptyOutDir: true,
  },
  server: {
    port: 5173,
    proxy: {
      "/api": { target: `http://127.0.0.1:${process.env.PORT ?? "3000"}`, changeOrigin: false },
    },
  },
  test: {
    root: ".",
    globals: true,
    include: ["tests/unit/**/*.test.{ts,tsx}", "tests/integration/**/*.test.{ts,tsx}"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
