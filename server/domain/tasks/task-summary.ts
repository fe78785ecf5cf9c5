import type { Task, TaskSummary } from "../../../shared/task.js";
import { taskTitle } from "./task-title.js";

/** A task as lists show it (what a store's `list` answers), from the whole task. */
export function summarizeTask(task: Task): TaskSummary {
  return {
    id: task.id,
    kind: task.kind,
    ticketKey: task.ticketKey,
    repo: task.repo,
    status: task.status,
    phase: task.phase,
    outcome: task.outcome,
    branch: task.branch,
    baseBranch: task.baseBranch,
    pullRequest: task.pullRequest,
    testsPassed: task.testsPassed,
    error: task.error,
    usage: task.usage,
    createdBy: task.createdBy,
    createdAt: task.createdAt,
    startedAt: task.startedAt,
    finishedAt: task.finishedAt,
    title: taskTitle(task),
  };
}
