import type { TaskFilters } from "./task-filters.js";

/** Every TanStack Query key the app uses, in one place. */
export const queryKeys = {
  me: ["me"] as const,
  authConfig: ["auth-config"] as const,
  settings: ["settings"] as const,
  tickets: (q: string) => ["tickets", { q }] as const,
  allTickets: ["tickets"] as const,
  ticket: (key: string) => ["ticket", key] as const,
  tasks: (filters: TaskFilters) => ["tasks", filters] as const,
  allTasks: ["tasks"] as const,
  taskStats: (filters: TaskFilters) => ["task-stats", filters] as const,
  task: (id: string) => ["task", id] as const,
  taskDiff: (id: string) => ["task-diff", id] as const,
  budget: ["budget"] as const,
  adminSessions: ["admin-sessions"] as const,
  taskSpend: (id: string) => ["task-spend", id] as const,
  spendReport: (range: { from?: string | undefined; to?: string | undefined }) =>
    ["spend-report", range] as const,
};
