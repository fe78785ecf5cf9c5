import type { TaskOutcome, TaskStatus } from "../../../shared/index.js";

/** The History page's filters, as kept in the URL. Dates are `YYYY-MM-DD` in local time. */
export interface TaskFilters {
  status?: TaskStatus | undefined;
  outcome?: TaskOutcome | undefined;
  ticketKey?: string | undefined;
  repo?: string | undefined;
  createdBy?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** The names of the filters, in the order they appear in a URL. */
export const TASK_FILTER_NAMES = [
  "status",
  "outcome",
  "ticketKey",
  "repo",
  "createdBy",
  "from",
  "to",
] as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Start (`from`) or end (`to`) of a local calendar day, as an ISO datetime. */
export function dayBoundary(date: string, edge: "start" | "end"): string | undefined {
  if (!DATE.test(date)) return undefined;
  const time = edge === "start" ? "T00:00:00.000" : "T23:59:59.999";
  const parsed = new Date(`${date}${time}`);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed.toISOString();
}

/** The API query string for the filters (without `?`), plus any extra parameters. */
export function taskFilterQuery(
  filters: TaskFilters,
  extra: Record<string, string | undefined> = {},
): string {
  const params = new URLSearchParams();
  for (const name of TASK_FILTER_NAMES) {
    const value = filters[name];
    if (!value) continue;
    if (name === "from" || name === "to") {
      const iso = dayBoundary(value, name === "from" ? "start" : "end");
      if (iso) params.set(name, iso);
    } else {
      params.set(name, value);
    }
  }
  for (const [name, value] of Object.entries(extra)) if (value) params.set(name, value);
  return params.toString();
}
