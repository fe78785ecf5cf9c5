import path from "node:path";
import type { Logger } from "pino";
import type { RepoConfig } from "../../domain/repo-config.js";
import { AppError } from "../../domain/app-error.js";
import { isSafeTaskId } from "../../domain/task-id.js";
import type { KeyedLock } from "./keyed-lock.js";
import { maintainMirror, syncMirror } from "./mirror.js";
import { remoteAccess } from "./remote.js";
import type { WarmPool, WarmPrepare } from "./warm-pool.js";

/**
 * What the parts of the git workspaces (creation, upkeep, removal) share. One per
 * {@link createGitWorkspaces}: the lock and the warm pool must be the same object for every
 * part, or two parts could write one mirror at once.
 */
export interface WorkspaceContext {
  /** `DATA_DIR/workspaces`, resolved: holds `mirrors/`, `worktrees/` and `warm/`. */
  root: string;
  /** `root/worktrees`: one linked worktree per task (or review checkout). */
  worktreesDir: string;
  logger: Logger;
  /** Token for https remotes (fetch and push); never put in argv, URLs or logs. */
  pushToken: string | null | undefined;
  /** Serializes mirror-wide git work (fetch, worktree add/remove) per mirror. */
  lock: KeyedLock;
  warmPool: WarmPool;
  /** The repository's warm-worktree setup, when the server prepares warm worktrees. */
  warmPrepare(repo: RepoConfig): WarmPrepare | undefined;
}

/** The task's worktree directory; rejects an id that could name a path outside `worktreesDir`. */
export function worktreePath(ctx: WorkspaceContext, taskId: string): string {
  if (!isSafeTaskId(taskId))
    throw new AppError("git_failed", `Invalid task id for a worktree: ${taskId}`);
  return path.join(ctx.worktreesDir, taskId);
}

/**
 * Queues the mirror's housekeeping behind whatever holds its lock now (or, with `after`,
 * once that settles: a task's start passes its agent's start): never on a task's path.
 */
export function maintainLater(
  ctx: WorkspaceContext,
  mirror: string,
  after: Promise<void> = Promise.resolve(),
): void {
  const maintain = () => ctx.lock.run(mirror, () => maintainMirror(mirror));
  void after
    .then(maintain, maintain)
    .catch((error: unknown) =>
      ctx.logger.warn({ err: error, mirror }, "git mirror maintenance failed"),
    );
}

/**
 * Fetches (or first clones) a repository's mirror and queues its housekeeping. Call it
 * under the mirror's lock: fetching writes the mirror's refs.
 */
export async function syncRepo(
  ctx: WorkspaceContext,
  mirror: string,
  repo: RepoConfig,
  maintainAfter?: Promise<void>,
): Promise<void> {
  await syncMirror(mirror, remoteAccess(repo.cloneUrl, ctx.pushToken), ctx.logger);
  maintainLater(ctx, mirror, maintainAfter);
}
