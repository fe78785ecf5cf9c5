import { defineConfig } from "vitest/config";

/**
 * Browser end-to-end tests: Debian's Chromium driven by playwright-core against the
 * real server, run one file at a time (one browser, one server each).
 */
export default defineConfig({
  test: {
    include: ["tests/e2e/**/*.test.ts"],
    globals: true,
    testTimeout: 240_000,
    hookTimeout: 180_000,
    pool: "forks",
    fileParallelism: false,
  },
});
