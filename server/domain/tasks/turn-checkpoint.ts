import type { Task } from "../../../shared/task.js";
import type { Logger } from "pino";
import type { TurnCheckpoint } from "../ports/turn-checkpoints.js";
import type { Workspace } from "../ports/workspaces.js";
import type { RepoConfig } from "../repo-config.js";
import type { TaskDeps } from "../task-deps.js";
import type { RunContext, RunRequest } from "./run-context.js";

/**
 * The message of an automatic resume on another worker from the task's last turn
 * checkpoint; the run that picks it up restores the thread and files first.
 */
export const TAKEOVER_RESUME_MESSAGE =
  "Resumed on another worker from its last completed turn: the worker running it stopped renewing its lease";

/**
 * Stores the task's checkpoint after a completed turn: the thread's rollout files and the
 * worktree's changes since its base. Best effort: a checkpoint that cannot be taken only
 * means a takeover would start the task again, so it is logged and the run goes on.
 */
export async function saveTurnCheckpoint(
  ctx: RunContext,
  turn: number,
  threadId: string,
): Promise<void> {
  const saver = ctx.deps.checkpoints;
  if (saver === undefined) return;
  const started = Date.now();
  try {
    const [rollouts, changes] = await Promise.all([
      saver.rollouts.read(ctx.task.id, threadId),
      ctx.deps.workspaces.checkpoint(ctx.workspace),
    ]);
    if (rollouts.length === 0) {
      // Without its thread the checkpoint could not resume anything.
      ctx.log.warn({ threadId, turn }, "turn checkpoint not taken: the thread has no rollout");
      return;
    }
    const checkpoint = { turn, threadId, baseSha: ctx.workspace.baseSha, rollouts, changes };
    const result = await saver.store.save(ctx.task.id, checkpoint);
    ctx.log.info(
      { turn, threadId, result, changeBytes: changes.length, ms: Date.now() - started },
      "turn checkpoint stored",
    );
  } catch (error) {
    ctx.log.warn({ err: error, turn }, "turn checkpoint not stored");
  }
}

/**
 * The checkpoint a task taken over can resume from: the latest one, on the thread the
 * task is on. Null without one (or on another thread: the task restarted since).
 */
export async function usableCheckpoint(
  deps: Pick<TaskDeps, "checkpoints">,
  task: Task,
): Promise<TurnCheckpoint | null> {
  if (deps.checkpoints === undefined || task.threadId === null) return null;
  const checkpoint = await deps.checkpoints.store.latest(task.id);
  return checkpoint?.threadId === task.threadId ? checkpoint : null;
}

/**
 * For a run queued to resume from a checkpoint on this worker, where neither the task's
 * thread nor its worktree is: writes the thread's rollout into this worker's Codex home
 * and makes the worktree from the checkpoint's base and changes. Null for any other run,
 * or when the worktree is here already (the run prepares it as usual).
 */
export async function restoreFromCheckpoint(
  deps: Pick<TaskDeps, "checkpoints" | "workspaces">,
  task: Task,
  repo: RepoConfig,
  request: RunRequest,
  log: Logger,
): Promise<Workspace | null> {
  if (request.action !== "retry" || request.message !== TAKEOVER_RESUME_MESSAGE) return null;
  if (deps.checkpoints === undefined || task.branch === null) return null;
  if ((await deps.workspaces.find(task.id)) !== null) return null;
  const checkpoint = await usableCheckpoint(deps, task);
  if (checkpoint === null) {
    log.warn(
      { threadId: task.threadId },
      "no checkpoint to resume from; the worktree is made anew",
    );
    return null;
  }
  const started = Date.now();
  await deps.checkpoints.rollouts.restore(task.id, checkpoint.rollouts);
  const workspace = await deps.workspaces.restore(repo, task.id, task.branch, checkpoint);
  log.info(
    { turn: checkpoint.turn, threadId: checkpoint.threadId, ms: Date.now() - started },
    "task restored from its turn checkpoint",
  );
  return workspace;
}
