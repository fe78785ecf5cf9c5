import type { AfterPrDeps } from "../domain/after-pr/after-pr-deps.js";
import { pollPullRequests } from "../domain/after-pr/poll-pull-requests.js";

/** A running poller; `stop` waits for a poll in progress. */
export interface PullRequestPoller {
  stop(): Promise<void>;
}

/**
 * Polls the open Patchboard pull requests every `intervalMs` (`GITHUB_POLL_INTERVAL_MS`),
 * one poll at a time; 0 means webhooks only and starts nothing.
 */
export function startPullRequestPoller(
  intervalMs: number,
  deps: AfterPrDeps,
): PullRequestPoller | null {
  if (intervalMs <= 0) return null;
  let running: Promise<void> | null = null;
  let stopped = false;
  const timer = setInterval(() => {
    // A poll slower than the interval is not stacked: the next tick after it starts one.
    if (running !== null || stopped) return;
    running = pollPullRequests(deps)
      .then(() => undefined)
      .catch((error: unknown) => deps.logger.warn({ err: error }, "pull request poll failed"))
      .finally(() => {
        running = null;
      });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
