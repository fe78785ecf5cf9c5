import { AppError, isAppError } from "../app-error.js";
import type { TaskDeps } from "../task-deps.js";
import { CancelRequested } from "./cancel-task.js";
import { changeStatus } from "./change-status.js";
import { runFixFlow } from "./fix-flow.js";
import { runPromptFlow } from "./prompt-flow.js";
import { moveTicket } from "./move-ticket.js";
import { recordEvent } from "./record-event.js";
import type { RunContext, RunRequest } from "./run-context.js";

/**
 * Runs a queued task to a final state: claims it, prepares its worktree, runs the fix or
 * free-form flow, and turns any failure into `failed` with an error a person can act on
 * (or `cancelled` when someone cancelled it). Never throws.
 */
export async function runTask(deps: TaskDeps, taskId: string, signal: AbortSignal): Promise<void> {
  const claimed = await deps.store.transition(taskId, ["queued"], {
    status: "running",
    phase: "preparing",
    outcome: null,
    error: null,
  });
  if (claimed === null) return; // cancelled or taken meanwhile
  const startedAt = claimed.startedAt ?? deps.now().toISOString();
  let task = await deps.store.update(taskId, { startedAt });
  const log = deps.logger.child({ taskId, ticketKey: task.ticketKey, repo: task.repo });
  await recordEvent(deps, taskId, {
    type: "task.status",
    payload: { status: "running", phase: "preparing", outcome: null, error: null },
  });
  log.info({ kind: task.kind }, "task started");
  let ticketStarted: Promise<void> = Promise.resolve();
  try {
    const request = await latestRequest(deps, taskId);
    const repo = deps.repos.forGithub(task.repo);
    if (repo === undefined) {
      throw new AppError(
        "repo_not_configured",
        `${task.repo} is no longer a configured repository`,
      );
    }
    if (task.branch === null) throw new AppError("internal", "The task has no branch");
    const onStart = deps.settings.jiraTransitionOnStart;
    if (request.action === "create" && task.ticketKey !== null && onStart) {
      ticketStarted = moveTicket({ deps, taskId, log }, task.ticketKey, onStart);
    }
    const workspace = await deps.workspaces.prepare(repo, task.id, task.branch);
    const ctx: RunContext = { deps, task, repo, workspace, request, ticketStarted, signal, log };
    task = task.kind === "fix" ? await runFixFlow(ctx) : await runPromptFlow(ctx);
    log.info({ outcome: task.outcome, pullRequest: task.pullRequest?.url }, "task completed");
  } catch (error) {
    await endWithError(deps, taskId, error, signal, log);
  } finally {
    // Never rejects; a run does not end with a Jira call of its own still in flight.
    await ticketStarted;
  }
}

async function endWithError(
  deps: TaskDeps,
  taskId: string,
  error: unknown,
  signal: AbortSignal,
  log: TaskDeps["logger"],
): Promise<void> {
  const finishedAt = deps.now().toISOString();
  const cancel =
    error instanceof CancelRequested
      ? error
      : signal.reason instanceof CancelRequested
        ? signal.reason
        : null;
  try {
    if (cancel === null && isShutdown(signal)) {
      // Left `running` on purpose: the next start resumes it on its thread (recover-task).
      log.info("task left to resume after the restart");
      return;
    }
    if (cancel !== null) {
      log.info({ by: cancel.by }, "task cancelled");
      await changeStatus(deps, taskId, { status: "cancelled", finishedAt }, ["running"]);
      return;
    }
    const appError = isAppError(error)
      ? error
      : new AppError("internal", "Patchboard failed unexpectedly; the server log has the details", {
          cause: error,
        });
    log.error({ err: error, code: appError.code }, "task failed");
    await recordEvent(deps, taskId, {
      type: "task.log",
      payload: { level: "error", message: appError.message },
    });
    await changeStatus(
      deps,
      taskId,
      { status: "failed", error: { code: appError.code, message: appError.message }, finishedAt },
      ["running"],
    );
  } catch (storeError) {
    log.error({ err: storeError }, "task end not recorded");
  }
}

/** Whether the run was stopped because the server is shutting down (see TaskRunner.stop). */
function isShutdown(signal: AbortSignal): boolean {
  return signal.aborted && isAppError(signal.reason) && signal.reason.code === "interrupted";
}

/**
 * What this run was asked to do (the latest request), and how the run before it ended:
 * the task row is reset when it is queued again, but its event log keeps both.
 */
async function latestRequest(deps: TaskDeps, taskId: string): Promise<RunRequest> {
  const events = await deps.store.listEvents(taskId);
  let request: Omit<RunRequest, "previous"> | null = null;
  for (let i = events.length - 1; i >= 0; i -= 1) {
    const event = events[i];
    if (request === null) {
      if (event?.type !== "task.request") continue;
      const { action, message, by } = event.payload;
      if (action !== "cancel") request = { action, message, by };
    } else if (
      event?.type === "task.status" &&
      (event.payload.status === "failed" || event.payload.status === "cancelled")
    ) {
      return { ...request, previous: { phase: event.payload.phase, error: event.payload.error } };
    }
  }
  return { ...(request ?? { action: "create", message: null, by: "system" }), previous: null };
}
