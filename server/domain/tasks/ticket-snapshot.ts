import type { TicketSnapshot } from "../../../shared/task.js";
import type { TrackerIssueDetail } from "../ports/issue-tracker.js";

/** The exact ticket text a task gives the agent, kept on the task. */
export function snapshotTicket(issue: TrackerIssueDetail): TicketSnapshot {
  return {
    key: issue.key,
    url: issue.url,
    summary: issue.summary,
    description: issue.description,
    status: issue.status,
    priority: issue.priority,
    reporter: issue.reporter,
    labels: issue.labels,
    comments: issue.comments,
  };
}
