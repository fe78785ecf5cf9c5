import { AppError, isAppError } from "../app-error.js";
import type { TaskDeps } from "../task-deps.js";
import { CancelRequested } from "./cancel-task.js";
import { changeStatus } from "./change-status.js";
import { runFixFlow } from "./fix-flow.js";
import { runPromptFlow } from "./prompt-flow.js";
import { moveTicket } from "./move-ticket.js";
import { withTaskRedaction } from "../redaction/task-redaction.js";
import { recordEvent } from "./record-event.js";
import { RunSuperseded, updateRunning } from "./run-update.js";
import type { RunContext, RunRequest } from "./run-context.js";
import { prepareTaskEnvironment } from "./task-environment.js";
import { restoreFromCheckpoint } from "./turn-checkpoint.js";
import { ownedStore } from "../leases/owned-store.js";
import { leaseExpiry, type WorkerIdentity } from "../leases/worker-identity.js";
import type { ClaimLimits } from "../ports/task-leases.js";

/** The worker a run holds its task's lease for, and what it does once it holds it. */
export interface RunLease {
  worker: WorkerIdentity;
  /** Called right after the claim succeeded: the worker starts keeping the lease. */
  claimed(): void;
  /**
   * Called once the run itself moved its task out of `running` (its final status, or
   * queued again): the lease is gone with it, so the worker stops keeping it before the
   * status event is announced, and never takes its own ending for someone else's.
   */
  released(): void;
}

/**
 * How a call of {@link runTask} ended: the task `ran` (to a final state, or stopped),
 * was `skipped` (cancelled or taken by another worker before the claim), or is
 * `deferred`: still queued because the cross-worker limits left no room, to be tried again.
 */
export type RunTaskResult = "ran" | "skipped" | "deferred";

/**
 * Runs a queued task to a final state: claims it (with `lease`, for that worker: every
 * later status change is then conditional on still holding it, and the claim respects
 * the limits that hold across workers), prepares its worktree, runs the fix or free-form
 * flow, and turns any failure into `failed` with an error a person can act on (or
 * `cancelled` when someone cancelled it). Never throws.
 */
export async function runTask(
  serverDeps: TaskDeps,
  taskId: string,
  signal: AbortSignal,
  lease?: RunLease,
): Promise<RunTaskResult> {
  const owned =
    lease === undefined
      ? serverDeps
      : {
          ...serverDeps,
          store: ownedStore(serverDeps.store, lease.worker.id, () => lease.released()),
        };
  // What the run sends out (Jira, GitHub, commit messages) is redacted at the ports.
  const deps = withTaskRedaction(owned, taskId);
  const start = { status: "running", phase: "preparing", outcome: null, error: null } as const;
  const claimed =
    lease === undefined
      ? await deps.store.transition(taskId, ["queued"], start)
      : await deps.store.claim(
          taskId,
          { owner: lease.worker.id, expiresAt: leaseExpiry(lease.worker, deps.now()) },
          start,
          await claimLimits(deps, taskId),
        );
  if (claimed === null) {
    // Still queued: refused for room, not cancelled nor taken by another worker.
    const now = await deps.store.get(taskId);
    return now?.status === "queued" && lease !== undefined ? "deferred" : "skipped";
  }
  lease?.claimed();
  const startedAt = claimed.startedAt ?? deps.now().toISOString();
  let task = await updateRunning(deps, taskId, { startedAt });
  const log = deps.logger.child({ taskId, ticketKey: task.ticketKey, repo: task.repo });
  await recordEvent(deps, taskId, {
    type: "task.status",
    payload: { status: "running", phase: "preparing", outcome: null, error: null },
  });
  log.info({ kind: task.kind }, "task started");
  let ticketStarted: Promise<void> = Promise.resolve();
  // The warm pool's refill (a checkout and the repository's setup) waits for the agent's
  // first event, or for the run's end if the agent never starts: on a small machine it
  // would otherwise compete with this task's own start for the cores.
  let agentStarted = (): void => undefined;
  const refillAfter = new Promise<void>((resolve) => {
    agentStarted = resolve;
  });
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
    // Taken over from a dead worker: its thread and files come back from the checkpoint.
    const workspace =
      (await restoreFromCheckpoint(deps, task, repo, request, log)) ??
      (await deps.workspaces.prepare(repo, task.id, task.branch, { refillAfter }));
    const ctx: RunContext = {
      deps,
      task,
      repo,
      workspace,
      request,
      ticketStarted,
      signal,
      log,
      agentStarted,
    };
    await prepareTaskEnvironment(ctx);
    task = task.kind === "fix" ? await runFixFlow(ctx) : await runPromptFlow(ctx);
    log.info({ outcome: task.outcome, pullRequest: task.pullRequest?.url }, "task completed");
  } catch (error) {
    await endWithError(deps, taskId, error, signal, log);
  } finally {
    agentStarted();
    // Never rejects; a run does not end with a Jira call of its own still in flight.
    await ticketStarted;
  }
  return "ran";
}

/** The limits that hold across workers for the task's claim: in total and per repository. */
async function claimLimits(deps: TaskDeps, taskId: string): Promise<ClaimLimits> {
  const total = deps.settings.totalMaxConcurrent ?? null;
  const repo = await deps.store.get(taskId);
  const perRepo = repo === null ? undefined : deps.repos.forGithub(repo.repo)?.maxConcurrentTasks;
  return {
    ...(total === null ? {} : { total }),
    ...(perRepo === undefined ? {} : { perRepo }),
  };
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
    if (error instanceof RunSuperseded || signal.reason instanceof RunSuperseded) {
      // Cancelled or ended by someone else (another node): theirs is the last word.
      log.info("task no longer running here; the run stops without writing");
      return;
    }
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
    // A failed setup has its own final status: the repository's setup, not the agent, needs a look.
    const status = appError.code === "setup_failed" ? "setup_failed" : "failed";
    await changeStatus(
      deps,
      taskId,
      { status, error: { code: appError.code, message: appError.message }, finishedAt },
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
 * What this run was asked to do (the latest request other than a cancel), and how the
 * run before it ended, as stored with the request.
 */
async function latestRequest(deps: TaskDeps, taskId: string): Promise<RunRequest> {
  const requests = await deps.store.listRequests(taskId);
  for (let i = requests.length - 1; i >= 0; i -= 1) {
    const request = requests[i];
    if (request === undefined || request.action === "cancel") continue;
    const { action, message, by, previous, source } = request;
    return { action, message, by, previous, ...(source === undefined ? {} : { source }) };
  }
  return { action: "create", message: null, by: "system", previous: null };
}
