import type { TicketListResponse } from "../../../shared/ticket.js";
import type { IssueTracker } from "../ports/issue-tracker.js";
import type { TaskStore } from "../ports/task-store.js";
import type { RepoRegistry } from "../repo-registry.js";
import { toTicketSummary } from "./to-ticket-summary.js";

/**
 * The tickets list: the configured JQL's bugs in projects that have a repository, each
 * with its queued or running task, if any.
 */
export async function listTickets(
  deps: { tracker: IssueTracker; store: TaskStore; repos: RepoRegistry },
  query: { cursor?: string | undefined; q?: string | undefined; limit: number },
): Promise<TicketListResponse> {
  const page = await deps.tracker.search({
    projects: deps.repos.projects(),
    text: query.q || undefined,
    cursor: query.cursor,
    limit: query.limit,
  });
  const active = await deps.store.findActive(page.issues.map((issue) => issue.key));
  const tickets = page.issues.flatMap((issue) => {
    const repo = deps.repos.forProject(issue.project);
    if (repo === undefined) return [];
    return [toTicketSummary(issue, repo, active.get(issue.key))];
  });
  return { tickets, nextCursor: page.nextCursor };
}
