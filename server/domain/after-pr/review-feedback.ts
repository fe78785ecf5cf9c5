import type { ReviewLineComment } from "../ports/code-host.js";
import type { TrackedPullRequest } from "../ports/pull-request-store.js";
import { PATCHBOARD_COMMENT_MARKER } from "../tasks/publish-text.js";
import { noteOnPullRequest } from "./note-on-pull-request.js";
import type { AfterPrDeps } from "./after-pr-deps.js";
import { startRound } from "./start-round.js";

/** Permissions that may ask Patchboard for changes. */
const MAY_ASK = new Set(["admin", "maintain", "write"]);

/** A review or a comment on a Patchboard pull request that may ask for a follow-up. */
export interface ReviewFeedback {
  /** `review` for "changes requested", `comment` for a mention. */
  kind: "review" | "comment";
  /** GitHub's id of the review or comment: one round per id. */
  id: number;
  author: string;
  body: string;
  /** Line comments that belong to it (a review's, or the mentioning line comment). */
  lines: ReviewLineComment[];
}

/** What became of the feedback, for the webhook's answer and the logs. */
export type FeedbackVerdict =
  "not_open" | "own_comment" | "no_write_access" | "round_limit" | "started" | "duplicate" | "busy";

/**
 * A "changes requested" review, or a comment that mentions Patchboard, becomes a
 * follow-up round with the comments, their file, line and diff hunk — only from someone
 * with write access to the repository (GitHub's collaborator permission); anyone else is
 * ignored and logged, since the text drives an agent that pushes code. Past
 * `reviewMaxRounds` rounds on the pull request, Patchboard answers the reviewer that it
 * leaves the pull request to people instead of starting another.
 */
export async function handleReviewFeedback(
  deps: AfterPrDeps,
  tracked: TrackedPullRequest,
  feedback: ReviewFeedback,
): Promise<FeedbackVerdict> {
  if (tracked.state !== "open") return "not_open";
  const task = await deps.store.get(tracked.taskId);
  if (task === null) return "not_open";
  if (feedback.body.includes(PATCHBOARD_COMMENT_MARKER)) return "own_comment";
  const permission = await deps.codeHost.getPermission(task.repo, feedback.author);
  if (!MAY_ASK.has(permission)) {
    deps.logger.warn(
      { taskId: task.id, author: feedback.author, permission, kind: feedback.kind },
      "pull request feedback ignored: the author has no write access",
    );
    return "no_write_access";
  }
  const max = deps.afterPr.reviewMaxRounds;
  if (tracked.reviewRounds >= max) {
    await noteOnPullRequest(
      deps,
      task,
      tracked,
      `@${feedback.author}: Patchboard has already answered ${max} ${max === 1 ? "review round" : "review rounds"} on this pull request (the limit, \`REVIEW_MAX_ROUNDS\`), so it starts no more; this one is left to people.`,
      "warn",
    );
    return "round_limit";
  }
  return startRound(deps, task, {
    trigger: feedback.kind,
    actor: feedback.author,
    headSha: tracked.headSha,
    key: `${feedback.kind}:${feedback.id}`,
    message: feedbackText(feedback),
    by: `@${feedback.author} on GitHub`,
    source: "review",
  });
}

/** The review as the agent reads it: the body, then each line comment with its place and hunk. */
export function feedbackText(feedback: ReviewFeedback): string {
  const lines = [
    feedback.kind === "review"
      ? `@${feedback.author} requested changes:`
      : `@${feedback.author} commented:`,
    feedback.body.trim() || "(no text)",
  ];
  for (const comment of feedback.lines) {
    lines.push(
      "",
      `On ${comment.path}${comment.line === null ? "" : ` line ${comment.line}`} (@${comment.author}):`,
      "```diff",
      comment.diffHunk,
      "```",
      comment.body,
    );
  }
  return lines.join("\n");
}
