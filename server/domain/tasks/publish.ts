import type { PullRequest, Task } from "../../../shared/task.js";
import { toAppError } from "../app-error.js";
import { pullRequestHead } from "../push-target.js";
import { assertPublishable } from "../publish-guard/index.js";
import { completeTask } from "./complete-task.js";
import { changeRunning, updateRunning } from "./run-update.js";
import {
  pullRequestBody,
  pullRequestTitle,
  jiraPrComment,
  followUpPrComment,
} from "./publish-text.js";
import { moveTicket } from "./move-ticket.js";
import { recordEvent } from "./record-event.js";
import type { RunContext } from "./run-context.js";
import { latestVerdict } from "./server-tests.js";

/**
 * Publishes the worktree's change: the server (never the agent) commits, pushes the
 * task's own branch (to the repository's fork when `pushRepository` is set), opens the pull request (or finds the one it opened before, so a
 * re-run never opens a second) and links it on the ticket. An empty diff completes the
 * task with `no_changes`.
 */
export async function publish(ctx: RunContext, turnSummary: string): Promise<Task> {
  const { deps, workspace, repo } = ctx;
  // What the guard checks is exactly what gets committed: both come from one staging.
  const staged = await deps.workspaces.stage(workspace);
  if (staged.files.length === 0 && ctx.task.pullRequest === null) {
    return completeTask(ctx, "no_changes", null);
  }
  // A cancel asked for while the turn was finishing stops the run before anything is pushed.
  ctx.signal.throwIfAborted();
  ctx.task = await changeRunning(deps, ctx.task.id, { phase: "publishing" });
  // The agent read untrusted ticket text: refuse protected paths, huge diffs and secrets.
  assertPublishable(staged, deps.settings.publishGuard, repo);
  const sha = await deps.workspaces.commitStaged(
    workspace,
    commitMessage(ctx.task, turnSummary),
    deps.settings.commitAuthor,
  );
  // The pull request a re-run opened before is looked up while the branch is pushed; with a
  // fork, by the fork's head (`forkOwner:branch`), where the branch is pushed.
  const head = pullRequestHead(repo, workspace.branch);
  const lookup =
    ctx.task.pullRequest === null
      ? deps.codeHost.findPullRequest(repo.github, head)
      : Promise.resolve(ctx.task.pullRequest);
  await allSettledOrThrow([deps.workspaces.push(repo, workspace), lookup.then(() => undefined)]);
  const existing = await lookup;
  await logToTask(ctx, `Pushed ${workspace.branch}${sha ? ` at ${sha.slice(0, 12)}` : ""}`);

  let pullRequest: PullRequest;
  if (existing !== null) {
    pullRequest = existing;
    if (ctx.request.action === "follow_up" || sha !== null) {
      await deps.codeHost.comment(
        repo.github,
        existing.number,
        followUpPrComment({
          request: ctx.request,
          summary: turnSummary,
          sha,
          verdict: await latestVerdict(ctx),
        }),
      );
    }
    // After an automatic CI round, the checks (not only the agent's own test run) decide.
    if (existing.draft && ctx.task.testsPassed === true && ctx.request.source !== "ci") {
      pullRequest = await markReady(ctx, existing);
      if (!pullRequest.draft) ctx.task = await updateRunning(deps, ctx.task.id, { pullRequest });
    }
    await recordEvent(deps, ctx.task.id, {
      type: "task.pull_request",
      payload: { pullRequest, created: false },
    });
  } else {
    ctx.signal.throwIfAborted();
    pullRequest = await deps.codeHost.createPullRequest({
      repo: repo.github,
      head,
      base: repo.baseBranch,
      title: pullRequestTitle(ctx.task),
      body: pullRequestBody({
        task: ctx.task,
        repo,
        summary: turnSummary,
        verdict: await latestVerdict(ctx),
      }),
      draft: ctx.task.testsPassed !== true,
    });
    ctx.task = await updateRunning(deps, ctx.task.id, { pullRequest });
    await recordEvent(deps, ctx.task.id, {
      type: "task.pull_request",
      payload: { pullRequest, created: true },
    });
    await logToTask(ctx, `Opened pull request #${pullRequest.number}`);
  }
  const opened = pullRequest;
  await deps.pullRequests?.recordPush({
    taskId: ctx.task.id,
    repo: repo.github,
    number: opened.number,
    url: opened.url,
    branch: workspace.branch,
    draft: opened.draft,
    headSha: sha,
    at: deps.now().toISOString(),
  });
  // Reviewers and the ticket link are independent round trips to two services: in parallel.
  await allSettledOrThrow([
    existing === null && repo.reviewers.length > 0
      ? deps.codeHost.requestReviewers(repo.github, opened.number, repo.reviewers)
      : Promise.resolve(),
    (async () => {
      const key = ctx.task.ticketKey;
      if (key !== null && (existing === null || !(await isLinked(ctx, opened)))) {
        await linkOnTicket(ctx, key, opened);
      }
    })(),
  ]);
  return completeTask(ctx, "pr_opened", pullRequest);
}

/**
 * A later turn made the tests pass on a draft, which is then marked ready for review. The
 * change is pushed already, so a refusal does not fail the task: it is said in the
 * task's log (and the server's), and the pull request stays a draft for a person to mark.
 */
async function markReady(ctx: RunContext, pr: PullRequest): Promise<PullRequest> {
  try {
    const ready = await ctx.deps.codeHost.markReadyForReview(ctx.repo.github, pr.number);
    if (!ready.draft) await logToTask(ctx, `Marked pull request #${pr.number} ready for review`);
    return ready;
  } catch (error) {
    const reason = toAppError(error, "github_unavailable", "GitHub did not answer").message;
    ctx.log.warn({ err: error, number: pr.number }, "pull request not marked ready");
    await logToTask(ctx, `Pull request #${pr.number} stays a draft: ${reason}`, "warn");
    return pr;
  }
}

/**
 * Waits for every step, then throws the first failure: a step that fails must not leave
 * another one running unobserved while the task is already being marked failed.
 */
async function allSettledOrThrow(steps: Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(steps);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed !== undefined) throw failed.reason;
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
  // The start transition runs beside the agent; it must land before the one below.
  await ctx.ticketStarted;
  try {
    await deps.tracker.addComment(ticketKey, jiraPrComment(ctx.task, pr, await latestVerdict(ctx)));
  } catch (error) {
    // The pull request exists; say exactly what is missing so a retry can finish it.
    throw toAppError(
      error,
      "jira_unavailable",
      "The pull request was opened but the Jira comment failed",
    );
  }
  const transition = deps.settings.jiraTransitionOnPr;
  if (transition !== null) {
    await moveTicket({ deps, taskId: ctx.task.id, log: ctx.log }, ticketKey, transition);
  }
}

/** Writes a line to the task's own log (a `task.log` event), which the Task page shows. */
async function logToTask(
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
