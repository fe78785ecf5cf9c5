import type { TaskEvent } from "../../../shared/index.js";

/** How a round after the pull request ended, or that it still runs. */
export type RoundResult =
  | { kind: "running" }
  | { kind: "pushed"; sha: string | null }
  | { kind: "no_changes" }
  | { kind: "failed"; message: string }
  | { kind: "cancelled" };

/** One follow-up round that failing checks or a review on GitHub started. */
export interface PullRequestRound {
  /** The request event's sequence number: a stable key. */
  seq: number;
  source: "ci" | "review";
  /** Who or what asked: `CI (lint, test)`, `@ada on GitHub`. */
  by: string;
  /** ISO 8601. */
  at: string;
  result: RoundResult;
}

/** `Pushed <branch> at <sha>`, the server's log line of a push (publish.ts). */
const PUSHED = /^Pushed \S+ at ([0-9a-f]{7,40})$/;

/**
 * The rounds after the pull request, from the task's event log: each follow-up request
 * whose source is CI or a review, with how the run it started ended — a push (and its
 * commit), nothing to push, a failure or a cancellation — or that it still runs.
 */
export function derivePullRequestRounds(events: readonly TaskEvent[]): PullRequestRound[] {
  const rounds: PullRequestRound[] = [];
  let current: PullRequestRound | null = null;
  let pushed: string | null | undefined;
  for (const event of events) {
    if (event.type === "task.request") {
      current = null;
      const { action, source, by } = event.payload;
      if (action === "follow_up" && (source === "ci" || source === "review")) {
        current = { seq: event.seq, source, by, at: event.at, result: { kind: "running" } };
        pushed = undefined;
        rounds.push(current);
      }
      continue;
    }
    if (current === null || current.result.kind !== "running") continue;
    if (event.type === "task.log") {
      const match = PUSHED.exec(event.payload.message);
      if (match) pushed = match[1] ?? null;
    } else if (event.type === "task.pull_request") {
      pushed = pushed ?? null;
    } else if (event.type === "task.status") {
      const { status, error } = event.payload;
      if (status === "completed") {
        current.result =
          pushed === undefined ? { kind: "no_changes" } : { kind: "pushed", sha: pushed };
      } else if (status === "failed" || status === "setup_failed") {
        current.result = { kind: "failed", message: error?.message ?? "The run failed" };
      } else if (status === "cancelled") {
        current.result = { kind: "cancelled" };
      }
    }
  }
  return rounds;
}
