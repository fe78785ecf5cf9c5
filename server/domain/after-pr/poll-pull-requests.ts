import type { AfterPrDeps } from "./after-pr-deps.js";
import { evaluateChecks } from "./evaluate-checks.js";
import { recordPullRequestChange } from "./pull-request-changed.js";

/**
 * For servers no webhook can reach (`GITHUB_POLL_INTERVAL_MS`): reads each open
 * Patchboard pull request and acts on the same facts a webhook would bring — merged or
 * closed, and the checks on its head. Reviews and mentions need the webhook. One pull
 * request failing to read does not stop the others.
 */
export async function pollPullRequests(
  deps: AfterPrDeps,
): Promise<{ polled: number; failed: number }> {
  let failed = 0;
  const open = await deps.pullRequests.listOpen();
  for (const tracked of open) {
    try {
      const task = await deps.store.get(tracked.taskId);
      if (task === null) continue;
      const facts = await deps.codeHost.getPullRequestFacts(task.repo, tracked.number);
      if (facts.merged || facts.state === "closed") {
        await recordPullRequestChange(deps, tracked, {
          state: facts.merged ? "merged" : "closed",
          at: facts.merged ? facts.mergedAt : facts.closedAt,
        });
        continue;
      }
      await evaluateChecks(deps, tracked, facts.headSha);
    } catch (error) {
      failed += 1;
      deps.logger.warn({ err: error, taskId: tracked.taskId }, "pull request poll failed");
    }
  }
  return { polled: open.length, failed };
}
