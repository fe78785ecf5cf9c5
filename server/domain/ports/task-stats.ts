import type { TaskStatsResponse } from "../../../shared/stats.js";
import type { TaskListQuery, TaskSummary } from "../../../shared/task.js";

/** The History page's filters (the task list's, without paging). */
export type TaskFilters = Omit<TaskListQuery, "limit" | "cursor">;

/** Read-side queries over the task history for admins. */
export interface TaskStatsQuery {
  /** Summary figures for the filters. */
  taskStats(filters: TaskFilters): Promise<TaskStatsResponse>;
  /** Every matching task, newest first, fetched page by page. */
  exportRows(filters: TaskFilters): AsyncIterable<TaskSummary>;
}
