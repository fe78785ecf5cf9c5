import path from "node:path";
import type { Logger } from "pino";
import type { RepoConfig } from "../../domain/repo-config.js";
import type { PrepareOptions, Workspaces } from "../../domain/ports/workspaces.js";
import type { PullRequestCheckouts } from "../../domain/ports/review-ports.js";
import { AppError } from "../../domain/app-error.js";
import { checkpointPatch, commitStaged, stageAll, worktreeDiff } from "./changes.js";
import { KeyedLock } from "./keyed-lock.js";
import { mirrorPath } from "./mirror.js";
import { checkoutPullRequest } from "./pull-request-checkout.js";
import { pushBranch } from "./push.js";
import { mergeMovedBase } from "./update-from-base.js";
import { WarmPool } from "./warm-pool.js";
import {
  maintainLater,
  syncRepo,
  worktreePath,
  type WorkspaceContext,
} from "./workspace-context.js";
import { listWorktreeIds, removeWorktree } from "./worktree-janitor.js";
import { readWorktreeMeta } from "./worktree-meta.js";
import { prepareWorktree, toWorkspace } from "./worktree-prepare.js";
import { createWorkspaceUpkeep, type WorkspaceUpkeep } from "./workspace-upkeep.js";

export type { WorkspaceUpkeep } from "./workspace-upkeep.js";

/** Options of {@link createGitWorkspaces}. */
export interface GitWorkspacesOptions {
  /** `DATA_DIR/workspaces`: holds `mirrors/` and `worktrees/`. */
  root: string;
  logger: Logger;
  /** Token for https remotes (fetch and push); never put in argv, URLs or logs. */
  pushToken?: string | null;
  /**
   * Checked-out worktrees kept ready per repository (`root/warm/`, see warm-pool.ts). Off
   * (0) unless set: they fill in the background, which a caller must expect. The server
   * sets `DEFAULT_WARM_WORKTREES` (2).
   */
  warmWorktrees?: number;
  /**
   * Prepares a warm worktree's environment (the repository's setup, the base's tests) in
   * the background once its files are written, so a task that claims it starts at once.
   */
  prepareWarm?: (
    repo: RepoConfig,
    dir: string,
    commit: string,
    signal: AbortSignal,
  ) => Promise<void>;
}

/**
 * Git working copies on the real `git` CLI: one bare mirror per repository
 * (`root/mirrors/<owner>__<name>.git`, cloned once and fetched on every prepare) and
 * one linked worktree per task (`root/worktrees/<taskId>`). Mirror-wide operations
 * (fetch, worktree add/remove) are serialized per repository; work inside one
 * worktree (diff, commit, push) is not, since it only touches that worktree's index
 * and branch.
 *
 * This file wires the parts together: creation and warm claims (worktree-prepare.ts),
 * warm-up and shutdown (workspace-upkeep.ts), listing and removal for the janitor
 * (worktree-janitor.ts); the work inside a worktree is the git modules' own.
 */
export function createGitWorkspaces(
  options: GitWorkspacesOptions,
): Workspaces & PullRequestCheckouts & WorkspaceUpkeep {
  const root = path.resolve(options.root);
  const { logger } = options;
  const lock = new KeyedLock();
  const prepareWarm = options.prepareWarm;
  const ctx: WorkspaceContext = {
    root,
    worktreesDir: path.join(root, "worktrees"),
    logger,
    pushToken: options.pushToken,
    lock,
    // Warm worktrees (warm-pool.ts): a task takes one instead of waiting for a full checkout.
    warmPool: new WarmPool({
      root: path.join(root, "warm"),
      size: options.warmWorktrees ?? 0,
      lock,
      logger,
    }),
    warmPrepare: (repo) =>
      prepareWarm === undefined
        ? undefined
        : (dir, commit, signal) => prepareWarm(repo, dir, commit, signal),
  };

  return {
    ...createWorkspaceUpkeep(ctx, options.warmWorktrees ?? 0),

    prepare(repo, taskId, branch, prepareOptions?: PrepareOptions) {
      return prepareWorktree(ctx, repo, taskId, branch, undefined, prepareOptions?.refillAfter);
    },

    restore(repo, taskId, branch, saved) {
      return prepareWorktree(ctx, repo, taskId, branch, saved);
    },

    checkpoint(workspace) {
      return checkpointPatch(workspace);
    },

    async find(taskId) {
      const dir = worktreePath(ctx, taskId);
      const meta = await readWorktreeMeta(dir);
      return meta ? toWorkspace(dir, meta) : null;
    },

    listIds() {
      return listWorktreeIds(ctx);
    },

    diff(workspace) {
      return worktreeDiff(workspace);
    },

    stage(workspace) {
      return stageAll(workspace);
    },

    commitStaged(workspace, message, author) {
      return commitStaged(workspace, message, author);
    },

    push(repo, workspace) {
      return pushBranch(repo, workspace, options.pushToken, logger);
    },

    checkoutPullRequest(repo, checkoutId, pr) {
      const dir = worktreePath(ctx, checkoutId);
      const mirror = mirrorPath(root, repo.github);
      const checkoutCtx = {
        mirror,
        dir,
        worktreesRoot: ctx.worktreesDir,
        pushToken: options.pushToken,
        logger,
      };
      const checkout = lock.run(mirror, () =>
        checkoutPullRequest(checkoutCtx, repo, checkoutId, pr),
      );
      maintainLater(ctx, mirror);
      return checkout;
    },

    async updateFromBase(repo, workspace, author) {
      const meta = await readWorktreeMeta(workspace.path);
      if (!meta) throw new AppError("git_failed", "The task's worktree no longer exists.");
      await lock.run(meta.mirror, () => syncRepo(ctx, meta.mirror, repo));
      return mergeMovedBase(workspace, meta, author, logger);
    },

    remove(taskId) {
      return removeWorktree(ctx, taskId);
    },
  };
}
