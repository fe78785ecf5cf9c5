import type { TaskStatsResponse } from "../../../shared/stats.js";
import type { TaskListQuery, TaskSummary } from "../../../shared/task.js";

/** The History page's filters (the task list's, without paging). */
export type TaskFilters = Omit<TaskListQuery, "limit" | "cursor">;

/** What became of a task's pull request, for the CSV export (absent: it opened none). */
export interface ExportPullRequest {
  state: "open" | "merged" | "closed";
  /** ISO 8601. */
  openedAt: string;
  mergedAt: string | null;
  ciRounds: number;
  reviewRounds: number;
  /** Whether the checks on the first head Patchboard pushed passed; null until known. */
  firstCiGreen: boolean | null;
}

/** One row of the CSV export: the task as lists show it, with its pull request's outcome. */
export type TaskExportRow = TaskSummary & { afterPr?: ExportPullRequest | null };

/** Read-side queries over the task history for admins. */
export interface TaskStatsQuery {
  /** Summary figures for the filters. */
  taskStats(filters: TaskFilters): Promise<TaskStatsResponse>;
  /**
   * Every matching task, newest first, read in pages of `pageSize` so a 100,000-row
   * export never sits in memory at once.
   */
  exportRows(filters: TaskFilters, pageSize?: number): AsyncIterable<TaskExportRow>;
}
