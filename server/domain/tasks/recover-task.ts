import type { Task } from "../../../shared/task.js";
import type { TaskEvent } from "../../../shared/task-event.js";
import { AppError } from "../app-error.js";
import type { TaskDeps } from "../task-deps.js";
import { changeStatus } from "./change-status.js";
import { recordEvent } from "./record-event.js";

/** Who asks for a resume the server decides on by itself, in the task's log. */
export const RESUME_REQUESTER = "system";

/** The message of an automatic resume request; also how earlier resumes are counted. */
export const RESUME_MESSAGE = "Resumed automatically after the server restarted";

/**
 * How many times in a row a task is resumed after a restart before it is failed instead.
 * A task that crashes the server every time it runs must not crash it on every start.
 */
export const MAX_AUTOMATIC_RESUMES = 2;

/**
 * Recovers a task a previous process left `running` (a crash, kill -9, power loss).
 * Where the work can go on — the Codex thread exists and the worktree is still on disk —
 * the task is queued again with a `retry` request, so the run resumes the thread in the
 * same worktree where it stopped (publishing stays idempotent: the pull request is looked
 * up by branch). Otherwise it ends `failed` with `interrupted`, and a person can retry it.
 * A cancel that was asked for before the crash ends it `cancelled`.
 */
export async function recoverInterruptedTask(
  deps: Pick<TaskDeps, "store" | "hub" | "workspaces" | "repos" | "logger" | "now">,
  task: Task,
): Promise<"resumed" | "failed" | "cancelled"> {
  const log = deps.logger.child({ taskId: task.id, phase: task.phase });
  const events = await deps.store.listEvents(task.id);
  const finishedAt = deps.now().toISOString();
  if (lastRequest(events)?.payload.action === "cancel") {
    await changeStatus(deps, task.id, { status: "cancelled", finishedAt }, ["running"]);
    log.info("interrupted task cancelled as requested");
    return "cancelled";
  }
  const reason = await whyNotResumable(deps, task, events);
  const interrupted = new AppError(
    "interrupted",
    reason === null
      ? "The server stopped while this task was running; it was resumed where it stopped"
      : `The server stopped while this task was running (${reason}); retry it to carry on`,
  );
  const error = { code: interrupted.code, message: interrupted.message };
  if (reason !== null) {
    await changeStatus(deps, task.id, { status: "failed", error, finishedAt }, ["running"]);
    log.warn({ reason }, "task interrupted by restart");
    return "failed";
  }
  // The log reads as a failure and a retry, which is what the run picks up (the phase it
  // stopped in decides where it resumes). The row goes straight from running to queued,
  // so the ticket never looks free to a concurrent "Fix this bug" meanwhile.
  await recordEvent(deps, task.id, {
    type: "task.status",
    payload: { status: "failed", phase: task.phase, outcome: null, error },
  });
  await recordEvent(deps, task.id, {
    type: "task.request",
    payload: { action: "retry", message: RESUME_MESSAGE, by: RESUME_REQUESTER },
  });
  const queued = await changeStatus(
    deps,
    task.id,
    { status: "queued", phase: "queued", error: null, finishedAt: null },
    ["running"],
  );
  if (queued === null) return "failed";
  log.warn({ threadId: task.threadId }, "task resumed after restart");
  return "resumed";
}

/** Why the task cannot resume, or null when it can. */
async function whyNotResumable(
  deps: Pick<TaskDeps, "workspaces" | "repos">,
  task: Task,
  events: TaskEvent[],
): Promise<string | null> {
  if (task.threadId === null) return "the agent had not started a thread yet";
  if (task.branch === null || deps.repos.forGithub(task.repo) === undefined) {
    return "its repository is no longer configured";
  }
  if ((await deps.workspaces.find(task.id)) === null) return "its worktree is gone";
  if (automaticResumes(events) >= MAX_AUTOMATIC_RESUMES) {
    return `it was already resumed ${MAX_AUTOMATIC_RESUMES} times in a row`;
  }
  return null;
}

function lastRequest(events: TaskEvent[]) {
  for (let i = events.length - 1; i >= 0; i -= 1) {
    const event = events[i];
    if (event?.type === "task.request") return event;
  }
  return null;
}

/** Automatic resumes since the last request a person made. */
function automaticResumes(events: TaskEvent[]): number {
  let count = 0;
  for (let i = events.length - 1; i >= 0; i -= 1) {
    const event = events[i];
    if (event?.type !== "task.request") continue;
    if (event.payload.by !== RESUME_REQUESTER || event.payload.message !== RESUME_MESSAGE) break;
    count += 1;
  }
  return count;
}
