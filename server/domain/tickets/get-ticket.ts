import type { TicketDetail } from "../../../shared/ticket.js";
import { AppError } from "../app-error.js";
import type { IssueTracker } from "../ports/issue-tracker.js";
import type { TaskStore } from "../ports/task-store.js";
import type { RepoRegistry } from "../repo-registry.js";
import { toTicketSummary } from "./to-ticket-summary.js";

/** One ticket with its description and comments; 404 when Jira has no such ticket or no repository is mapped. */
export async function getTicket(
  deps: { tracker: IssueTracker; store: TaskStore; repos: RepoRegistry },
  key: string,
): Promise<TicketDetail> {
  const repo = deps.repos.forTicket(key);
  const issue = repo === undefined ? null : await deps.tracker.getIssue(key);
  if (issue === null || repo === undefined) throw new AppError("not_found", `No ticket ${key}`);
  const task = (await deps.store.findActive([key])).get(key);
  return {
    ...toTicketSummary(issue, repo, task),
    issueType: issue.issueType,
    reporter: issue.reporter,
    labels: issue.labels,
    description: issue.description,
    comments: issue.comments,
  };
}
