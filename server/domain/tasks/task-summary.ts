import { TaskSummarySchema, type Task, type TaskSummary } from "../../../shared/task.js";
import { taskTitle } from "./task-title.js";

/**
 * A task as lists show it (what a store's `list` answers), from the whole task: the
 * summary schema keeps its fields and drops the long texts.
 */
export function summarizeTask(task: Task): TaskSummary {
  return TaskSummarySchema.parse({ ...task, title: taskTitle(task) });
}
