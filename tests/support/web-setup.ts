/**
 * Shared setup for web component tests: jest-dom matchers, and a clean slate after each
 * test (DOM, stubbed globals). Import it first in every component test file.
 */
import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach, vi } from "vitest";

// Lazy-loaded pages compile on first use in tests: allow more than the default second.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});
