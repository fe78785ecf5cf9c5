import { useMemo } from "react";
import { useSearchParams } from "react-router";
import { TaskOutcomeSchema, TaskStatusSchema } from "../../../../shared/index.js";
import { TASK_FILTER_NAMES } from "../../api/task-filters.js";
import type { TaskFilters } from "../../api/task-filters.js";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads the History filters from URL search params, dropping values the API would refuse. */
export function filtersFromParams(params: URLSearchParams): TaskFilters {
  const get = (name: string) => params.get(name)?.trim() || undefined;
  const status = TaskStatusSchema.safeParse(get("status"));
  const outcome = TaskOutcomeSchema.safeParse(get("outcome"));
  const from = get("from");
  const to = get("to");
  return {
    status: status.success ? status.data : undefined,
    outcome: outcome.success ? outcome.data : undefined,
    ticketKey: get("ticketKey")?.toUpperCase(),
    repo: get("repo"),
    createdBy: get("createdBy"),
    from: from && DATE.test(from) ? from : undefined,
    to: to && DATE.test(to) ? to : undefined,
  };
}

/** Search params for the filters (empty ones left out). */
export function paramsFromFilters(filters: TaskFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of TASK_FILTER_NAMES) {
    const value = filters[name];
    if (value) params.set(name, value);
  }
  return params;
}

/** The History filters, kept in the URL so a filtered view can be shared and bookmarked. */
export function useTaskFilters(): [TaskFilters, (filters: TaskFilters) => void] {
  const [params, setParams] = useSearchParams();
  const key = params.toString();
  const filters = useMemo(() => filtersFromParams(new URLSearchParams(key)), [key]);
  const setFilters = (next: TaskFilters) => setParams(paramsFromFilters(next));
  return [filters, setFilters];
}
