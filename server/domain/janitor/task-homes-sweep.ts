import type { Logger } from "pino";
import { isFinalStatus } from "../../../shared/task-state.js";
import { WARM_OWNER } from "../environment/prepare-warm-worktree.js";
import type { TaskStore } from "../ports/task-store.js";
import type { TaskHomeDirs } from "../ports/task-home-dirs.js";
import type { Workspaces } from "../ports/workspaces.js";

/** What {@link sweepTaskHomes} reads and removes. */
export interface TaskHomesSweep {
  store: TaskStore;
  workspaces: Workspaces;
  homes: readonly TaskHomeDirs[];
  /** Tasks that finished before this (epoch ms) are past their retention. */
  cutoff: number;
  logger: Logger;
}

/**
 * Removes the per-task directories (agent homes, environment homes) that nothing will use
 * again: those of a task that finished before the cutoff and has no worktree any more,
 * and those of ids that are no task at all (a task gone from the store, a finished
 * nightly review). An id that still has a worktree is in use (a task or a review running
 * right now) and is skipped, as is the warm worktrees' shared environment. A finished
 * task keeps its agent thread (a follow-up may resume it); the rest goes.
 *
 * The directories are listed before the worktrees: a review makes its checkout before
 * its homes, so a review whose homes are listed either still has its checkout when the
 * worktrees are listed, or is over. Returns the ids whose directories it removed.
 */
export async function sweepTaskHomes(sweep: TaskHomesSweep): Promise<string[]> {
  const { workspaces, homes, logger } = sweep;
  if (homes.length === 0) return [];
  const ids = new Set((await Promise.all(homes.map((dirs) => dirs.listIds()))).flat());
  if (ids.size === 0) return [];
  const inUse = new Set(await workspaces.listIds());
  const removed: string[] = [];
  for (const id of ids) {
    if (id === WARM_OWNER || inUse.has(id)) continue;
    try {
      if (await removeIfUnused(sweep, id)) removed.push(id);
    } catch (error) {
      logger.warn({ err: error, taskId: id }, "task homes not removed");
    }
  }
  return removed;
}

/** Removes the directories of `id` unless its task may still use them; whether it did. */
async function removeIfUnused(sweep: TaskHomesSweep, id: string): Promise<boolean> {
  const { store, homes, cutoff } = sweep;
  const task = await store.get(id);
  if (task !== null) {
    if (!isFinalStatus(task.status) || task.finishedAt === null) return false;
    if (Date.parse(task.finishedAt) > cutoff) return false;
    // Read again, last thing before removing: a follow-up or retry may have queued it.
    const fresh = await store.get(id);
    if (fresh?.status !== task.status || fresh.finishedAt !== task.finishedAt) return false;
  }
  for (const dirs of homes) await dirs.remove(id, { keepThread: task !== null });
  return true;
}
