import type { Task } from "../../../shared/task.js";
import type { TicketSummary } from "../../../shared/ticket.js";
import type { TrackerIssue } from "../ports/issue-tracker.js";
import type { RepoConfig } from "../repo-config.js";

/** A tracker issue as a row of the tickets list, with its active task if any. */
export function toTicketSummary(
  issue: TrackerIssue,
  repo: RepoConfig,
  activeTask: Task | undefined,
): TicketSummary {
  return {
    key: issue.key,
    summary: issue.summary,
    status: issue.status,
    priority: issue.priority,
    assignee: issue.assignee,
    updated: issue.updated,
    url: issue.url,
    repo: repo.github,
    activeTask: activeTask
      ? { id: activeTask.id, status: activeTask.status, phase: activeTask.phase }
      : null,
  };
}
