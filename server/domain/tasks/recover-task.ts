import type { Task } from "../../../shared/task.js";
import type { TakenFrom } from "../leases/take-over-orphans.js";
import type { TaskPatch, TaskRequest } from "../ports/task-store.js";
import type { TaskDeps } from "../task-deps.js";
import { changeStatus } from "./change-status.js";
import { recordEvent } from "./record-event.js";
import { recordRequest } from "./record-request.js";
import { TAKEOVER_RESUME_MESSAGE, usableCheckpoint } from "./turn-checkpoint.js";

/** Who asks for a resume the server decides on by itself, in the task's log. */
export const RESUME_REQUESTER = "system";

/** The message of an automatic resume request; also how earlier resumes are counted. */
export const RESUME_MESSAGE = "Resumed automatically after the server restarted";

/**
 * The message of an automatic restart on another worker, which has neither the thread nor
 * the worktree of the worker that died: the run starts again from the analysis.
 */
export const RESTART_MESSAGE =
  "Started again on another worker: the worker running it stopped renewing its lease";

/**
 * How many times in a row a task is resumed after a restart before it is failed instead.
 * A task that crashes the server every time it runs must not crash it on every start.
 */
export const MAX_AUTOMATIC_RESUMES = 2;

/**
 * Recovers a task a previous process left `running` (a crash, kill -9, power loss), or
 * (`from` "other") a task taken over from another worker whose lease expired.
 * Where the work can go on — the Codex thread exists and the worktree is still on disk —
 * the task is queued again with a `retry` request, so the run resumes the thread in the
 * same worktree where it stopped (publishing stays idempotent: the pull request is looked
 * up by branch). Otherwise it ends `failed` with `interrupted`, and a person can retry it.
 * A cancel that was asked for before the crash ends it `cancelled`. Taken over from
 * another worker without its worktree here, the task is queued to resume from its last
 * turn checkpoint (thread and files restored by the run), or without one to start again
 * from scratch on a fresh thread (publishing is idempotent by branch, and the Jira
 * comment is not repeated).
 */
export async function recoverInterruptedTask(
  deps: Pick<TaskDeps, "store" | "hub" | "workspaces" | "repos" | "logger" | "now" | "checkpoints">,
  task: Task,
  from: TakenFrom = "self",
): Promise<"resumed" | "restarted" | "failed" | "cancelled"> {
  const log = deps.logger.child({ taskId: task.id, phase: task.phase });
  const requests = await deps.store.listRequests(task.id);
  const finishedAt = deps.now().toISOString();
  if (requests.at(-1)?.action === "cancel") {
    await changeStatus(deps, task.id, { status: "cancelled", finishedAt }, ["running"]);
    log.info("interrupted task cancelled as requested");
    return "cancelled";
  }
  const reason = await whyNotResumable(deps, task, requests);
  // Taken over from another worker, whose thread and worktree are on its own disk: the
  // run resumes from the last turn's checkpoint where there is one, and starts again on
  // a new thread otherwise, rather than failing.
  const elsewhere = from === "other" && reason !== null && (await mayRestart(deps, task, requests));
  const fromCheckpoint = elsewhere && (await usableCheckpoint(deps, task)) !== null;
  const restart = elsewhere && !fromCheckpoint;
  if (reason !== null && !elsewhere) {
    const message = `The server stopped while this task was running (${reason}); retry it to carry on`;
    const error = { code: "interrupted" as const, message };
    await changeStatus(deps, task.id, { status: "failed", error, finishedAt }, ["running"]);
    log.warn({ reason }, "task interrupted by restart");
    return "failed";
  }
  const how = fromCheckpoint
    ? resumeFromCheckpoint(task)
    : restart
      ? restartAgain()
      : resumeWhereStopped(task);
  const queued = await requeue(deps, task, how);
  if (!queued) return "failed";
  log.warn(
    { threadId: task.threadId },
    fromCheckpoint
      ? "task resumed from its turn checkpoint after a takeover"
      : restart
        ? "task restarted after a takeover"
        : "task resumed after restart",
  );
  return restart ? "restarted" : "resumed";
}

/** How a task is queued again to resume on its thread: the phase it stopped in decides where. */
function resumeWhereStopped(task: Task): Requeue {
  const message = "The server stopped while this task was running; it was resumed where it stopped";
  return {
    error: { code: "interrupted" as const, message },
    message: RESUME_MESSAGE,
    previousPhase: task.phase,
    patch: {},
  };
}

/**
 * How a task taken over from another worker is queued to resume its thread from the last
 * turn's checkpoint: the run that claims it restores thread and files (turn-checkpoint.ts),
 * then carries on from the phase it stopped in, like a resume on the same worker.
 */
function resumeFromCheckpoint(task: Task): Requeue {
  const message =
    "The worker running this task stopped; another worker resumed it from its last completed turn";
  return {
    error: { code: "interrupted" as const, message },
    message: TAKEOVER_RESUME_MESSAGE,
    previousPhase: task.phase,
    patch: {},
  };
}

/** How a task taken over from another worker is queued to start again on a new thread. */
function restartAgain(): Requeue {
  const message = "The worker running this task stopped; another worker started it again";
  return {
    error: { code: "interrupted" as const, message },
    message: RESTART_MESSAGE,
    // Not the phase it stopped in: nothing of that run is here to resume from.
    previousPhase: "queued",
    patch: { threadId: null, analysis: null },
  };
}

/** What a requeue records and changes. */
interface Requeue {
  error: NonNullable<Task["error"]>;
  message: string;
  previousPhase: Task["phase"];
  patch: TaskPatch;
}

/**
 * Queues an interrupted task again. The log reads as a failure and a retry, which is what
 * the run picks up. The row goes straight from running to queued, so the ticket never
 * looks free to a concurrent "Fix this bug" meanwhile. False when it was no longer running.
 */
async function requeue(
  deps: Pick<TaskDeps, "store" | "hub">,
  task: Task,
  how: Requeue,
): Promise<boolean> {
  const { error } = how;
  await recordEvent(deps, task.id, {
    type: "task.status",
    payload: { status: "failed", phase: task.phase, outcome: null, error },
  });
  await recordRequest(deps, task.id, {
    action: "retry",
    message: how.message,
    by: RESUME_REQUESTER,
    previous: { phase: how.previousPhase, error },
  });
  const queued = await changeStatus(
    deps,
    task.id,
    { ...how.patch, status: "queued", phase: "queued", error: null, finishedAt: null },
    ["running"],
  );
  return queued !== null;
}

/** Whether a task taken over from another worker can go on here (from a checkpoint or anew). */
async function mayRestart(
  deps: Pick<TaskDeps, "workspaces" | "repos">,
  task: Task,
  requests: TaskRequest[],
): Promise<boolean> {
  return (
    task.branch !== null &&
    deps.repos.forGithub(task.repo) !== undefined &&
    (await deps.workspaces.find(task.id)) === null &&
    automaticResumes(requests) < MAX_AUTOMATIC_RESUMES
  );
}

/** Why the task cannot resume, or null when it can. */
async function whyNotResumable(
  deps: Pick<TaskDeps, "workspaces" | "repos">,
  task: Task,
  requests: TaskRequest[],
): Promise<string | null> {
  if (task.threadId === null) return "the agent had not started a thread yet";
  if (task.branch === null || deps.repos.forGithub(task.repo) === undefined) {
    return "its repository is no longer configured";
  }
  if ((await deps.workspaces.find(task.id)) === null) return "its worktree is gone";
  if (automaticResumes(requests) >= MAX_AUTOMATIC_RESUMES) {
    return `it was already resumed ${MAX_AUTOMATIC_RESUMES} times in a row`;
  }
  return null;
}

const AUTOMATIC_MESSAGES = new Set([RESUME_MESSAGE, RESTART_MESSAGE, TAKEOVER_RESUME_MESSAGE]);

/** Automatic resumes and restarts since the last request a person made. */
function automaticResumes(requests: TaskRequest[]): number {
  let count = 0;
  for (let i = requests.length - 1; i >= 0; i -= 1) {
    const request = requests[i];
    const automatic = AUTOMATIC_MESSAGES.has(request?.message ?? "");
    if (request?.by !== RESUME_REQUESTER || !automatic) break;
    count += 1;
  }
  return count;
}
