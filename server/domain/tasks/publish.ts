import type { PullRequest, Task } from "../../../shared/task.js";
import { toAppError } from "../app-error.js";
import { assertPublishable } from "../publish-guard/index.js";
import { changeStatus } from "./change-status.js";
import {
  pullRequestBody,
  pullRequestTitle,
  jiraPrComment,
  followUpPrComment,
} from "./publish-text.js";
import { recordEvent } from "./record-event.js";
import type { RunContext } from "./run-context.js";

/**
 * Publishes the worktree's change: the server (never the agent) commits, pushes the
 * task's own branch, opens the pull request (or finds the one it opened before, so a
 * re-run never opens a second) and links it on the ticket. An empty diff completes the
 * task with `no_changes`.
 */
export async function publish(ctx: RunContext, turnSummary: string): Promise<Task> {
  const { deps, workspace, repo } = ctx;
  const diff = await deps.workspaces.diff(workspace);
  if (diff.trim() === "" && ctx.task.pullRequest === null) {
    return complete(ctx, "no_changes", null);
  }
  ctx.task = (await changeStatus(deps, ctx.task.id, { phase: "publishing" })) ?? ctx.task;
  // The agent read untrusted ticket text: refuse protected paths, huge diffs and secrets.
  assertPublishable(diff, deps.settings.publishGuard);
  const sha = await deps.workspaces.commitAll(
    workspace,
    commitMessage(ctx.task, turnSummary),
    deps.settings.commitAuthor,
  );
  await deps.workspaces.push(repo, workspace);
  await log(ctx, `Pushed ${workspace.branch}${sha ? ` at ${sha.slice(0, 12)}` : ""}`);

  const existing =
    ctx.task.pullRequest ?? (await deps.codeHost.findPullRequest(repo.github, workspace.branch));
  let pullRequest: PullRequest;
  if (existing !== null) {
    pullRequest = existing;
    if (ctx.request.action === "follow_up" || sha !== null) {
      await deps.codeHost.comment(
        repo.github,
        existing.number,
        followUpPrComment({ request: ctx.request, summary: turnSummary, sha }),
      );
    }
    await recordEvent(deps, ctx.task.id, {
      type: "task.pull_request",
      payload: { pullRequest, created: false },
    });
  } else {
    pullRequest = await deps.codeHost.createPullRequest({
      repo: repo.github,
      head: workspace.branch,
      base: repo.baseBranch,
      title: pullRequestTitle(ctx.task),
      body: pullRequestBody({ task: ctx.task, repo, summary: turnSummary }),
      draft: ctx.task.testsPassed !== true,
    });
    ctx.task = await deps.store.update(ctx.task.id, { pullRequest });
    await recordEvent(deps, ctx.task.id, {
      type: "task.pull_request",
      payload: { pullRequest, created: true },
    });
    await log(ctx, `Opened pull request #${pullRequest.number}`);
    if (repo.reviewers.length > 0) {
      await deps.codeHost.requestReviewers(repo.github, pullRequest.number, repo.reviewers);
    }
  }
  if (ctx.task.ticketKey !== null && (existing === null || !(await isLinked(ctx, pullRequest)))) {
    await linkOnTicket(ctx, ctx.task.ticketKey, pullRequest);
  }
  return complete(ctx, "pr_opened", pullRequest);
}

/**
 * Whether the ticket already links this pull request. A run that opened the pull request
 * but crashed or hit a Jira outage before commenting must still link it when it runs
 * again; a follow-up must not comment twice.
 */
async function isLinked(ctx: RunContext, pr: PullRequest): Promise<boolean> {
  if (ctx.task.ticketKey === null) return true;
  const issue = await ctx.deps.tracker.getIssue(ctx.task.ticketKey);
  return issue === null || issue.comments.some((comment) => comment.body.includes(pr.url));
}

async function linkOnTicket(ctx: RunContext, ticketKey: string, pr: PullRequest): Promise<void> {
  const { deps } = ctx;
  try {
    await deps.tracker.addComment(ticketKey, jiraPrComment(ctx.task, pr));
  } catch (error) {
    // The pull request exists; say exactly what is missing so a retry can finish it.
    throw toAppError(
      error,
      "jira_unavailable",
      "The pull request was opened but the Jira comment failed",
    );
  }
  const transition = deps.settings.jiraTransitionOnPr;
  if (transition !== null) await moveTicket(ctx, ticketKey, transition);
}

/** Moves a ticket through a named transition; a missing transition is logged, never fatal. */
export async function moveTicket(ctx: RunContext, ticketKey: string, name: string): Promise<void> {
  try {
    const moved = await ctx.deps.tracker.transition(ticketKey, name);
    if (!moved) {
      ctx.log.warn({ ticketKey, transition: name }, "jira transition not available");
      await log(ctx, `Jira has no transition "${name}" for ${ticketKey}; left as it is`, "warn");
    }
  } catch (error) {
    ctx.log.warn({ err: error, ticketKey, transition: name }, "jira transition failed");
    await log(ctx, `Could not move ${ticketKey} through "${name}"`, "warn");
  }
}

/** Ends the run as completed with an outcome. */
export async function complete(
  ctx: RunContext,
  outcome: NonNullable<Task["outcome"]>,
  pullRequest: PullRequest | null,
): Promise<Task> {
  const done = await changeStatus(ctx.deps, ctx.task.id, {
    status: "completed",
    phase: "done",
    outcome,
    error: null,
    finishedAt: ctx.deps.now().toISOString(),
    ...(pullRequest ? { pullRequest } : {}),
  });
  ctx.task = done ?? ctx.task;
  return ctx.task;
}

async function log(
  ctx: RunContext,
  message: string,
  level: "info" | "warn" | "error" = "info",
): Promise<void> {
  await recordEvent(ctx.deps, ctx.task.id, { type: "task.log", payload: { level, message } });
}

function commitMessage(task: Task, summary: string): string {
  const subject =
    task.kind === "fix"
      ? `fix(${task.ticketKey ?? "codex"}): ${task.ticketSnapshot?.summary ?? "fix"}`
      : `codex: ${firstLine(task.prompt ?? "change")}`;
  return `${subject.slice(0, 72)}\n\n${summary.trim()}\n\nPatchboard task ${task.id}`;
}

function firstLine(text: string): string {
  return text.split("\n")[0]?.trim() ?? text;
}
