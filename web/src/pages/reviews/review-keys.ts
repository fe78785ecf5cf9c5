/** The Reviews page's TanStack Query keys (kept with the page, which owns them). */
export const reviewKeys = {
  all: ["reviews"] as const,
  runs: ["reviews", "runs"] as const,
  run: (id: string) => ["reviews", "run", id] as const,
};

/** How often a page with a running review asks again. */
export const RUNNING_POLL_MS = 3000;
