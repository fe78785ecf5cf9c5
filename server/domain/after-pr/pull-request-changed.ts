import type { PullRequestState, TrackedPullRequest } from "../ports/pull-request-store.js";
import { moveTicket } from "../tasks/move-ticket.js";
import { recordEvent } from "../tasks/record-event.js";
import type { AfterPrDeps } from "./after-pr-deps.js";

/** A pull request closed (merged or not) or reopened, by the webhook or the poller. */
export interface PullRequestChange {
  state: PullRequestState;
  /** ISO 8601; when it merged or closed. */
  at: string | null;
}

/**
 * Tracks a Patchboard pull request to its end: the outcome is stored on the pull request
 * record and on the task (its page and History show it), and a merge moves the ticket
 * with `JIRA_TRANSITION_ON_MERGE`. A change already recorded does nothing.
 */
export async function recordPullRequestChange(
  deps: AfterPrDeps,
  tracked: TrackedPullRequest,
  change: PullRequestChange,
): Promise<"unchanged" | PullRequestState> {
  if (tracked.state === change.state) return "unchanged";
  const task = await deps.store.get(tracked.taskId);
  if (task === null) return "unchanged";
  const at = change.at ?? deps.now().toISOString();
  await deps.pullRequests.update(task.id, {
    state: change.state,
    mergedAt: change.state === "merged" ? at : null,
    closedAt: change.state === "open" ? null : at,
  });
  if (task.pullRequest !== null) {
    const pullRequest = { ...task.pullRequest, state: change.state };
    await deps.store.update(task.id, { pullRequest });
    await recordEvent(deps, task.id, {
      type: "task.pull_request",
      payload: { pullRequest, created: false },
    });
  }
  const words = {
    merged: "was merged",
    closed: "was closed without merging",
    open: "was reopened",
  };
  await recordEvent(deps, task.id, {
    type: "task.log",
    payload: { level: "info", message: `Pull request #${tracked.number} ${words[change.state]}` },
  });
  const transition = deps.afterPr.jiraTransitionOnMerge;
  if (change.state === "merged" && transition !== null && task.ticketKey !== null) {
    const log = deps.logger.child({ taskId: task.id, ticketKey: task.ticketKey });
    await moveTicket({ deps, taskId: task.id, log }, task.ticketKey, transition);
  }
  return change.state;
}
