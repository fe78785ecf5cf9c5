import { mkdir, readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import type { RepoConfig } from "../../domain/repo-config.js";
import type { PrepareOptions, Workspace, Workspaces } from "../../domain/ports/workspaces.js";
import type { PullRequestCheckouts } from "../../domain/ports/review-ports.js";
import { AppError } from "../../domain/app-error.js";
import { applyCheckpoint } from "./apply-checkpoint.js";
import { checkpointPatch, commitStaged, stageAll, worktreeDiff } from "./changes.js";
import { KeyedLock } from "./keyed-lock.js";
import {
  fetchForkBranch,
  maintainMirror,
  mirrorPath,
  REMOTE_REFS,
  resolveRef,
  syncMirror,
} from "./mirror.js";
import { checkoutPullRequest } from "./pull-request-checkout.js";
import { forgetPublished, recordPublished } from "./published-ref.js";
import { pushBranch } from "./push.js";
import { remoteAccess } from "./remote.js";
import { gitOut, runGit } from "./run-git.js";
import { mergeMovedBase } from "./update-from-base.js";
import { readWorktreeMeta, writeWorktreeMeta, type WorktreeMeta } from "./worktree-meta.js";
import { WarmPool, type WarmPrepare } from "./warm-pool.js";
import { isSafeTaskId } from "../../domain/task-id.js";

/** What the server does with its workspaces beyond the domain's port. */
export interface WorkspaceUpkeep {
  /**
   * Makes the repositories' mirrors current (cloning the missing ones) and starts filling
   * their warm worktrees, one repository at a time, so that even the first task of a
   * repository after a start finds one. Never rejects: a repository that fails is logged
   * and left to its first task.
   */
  warmUp(repos: readonly RepoConfig[]): Promise<void>;
  /**
   * Starts no more warm-ups or refills and resolves once the running git commands have
   * ended: a shutdown must not leave git writing into a data directory being removed.
   */
  stop(): Promise<void>;
  /**
   * Resolves once the warm worktrees' running refills have ended (a refill that waits for
   * its task's agent has not started yet): tests prove "no refill ran" with it.
   */
  idle(): Promise<void>;
}

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
 */
export function createGitWorkspaces(
  options: GitWorkspacesOptions,
): Workspaces & PullRequestCheckouts & WorkspaceUpkeep {
  const root = path.resolve(options.root);
  const worktreesDir = path.join(root, "worktrees");
  const { logger } = options;
  const lock = new KeyedLock();
  // Warm worktrees (warm-pool.ts): a task takes one instead of waiting for a full checkout.
  const warmPool = new WarmPool({
    root: path.join(root, "warm"),
    size: options.warmWorktrees ?? 0,
    lock,
    logger,
  });

  const warmPrepare = (repo: RepoConfig): WarmPrepare | undefined => {
    const prepare = options.prepareWarm;
    return prepare === undefined
      ? undefined
      : (dir, commit, signal) => prepare(repo, dir, commit, signal);
  };

  let warming: Promise<void> = Promise.resolve();
  let stopped = false;

  function worktreePath(taskId: string): string {
    if (!isSafeTaskId(taskId))
      throw new AppError("git_failed", `Invalid task id for a worktree: ${taskId}`);
    return path.join(worktreesDir, taskId);
  }

  /**
   * Queues the mirror's housekeeping behind whatever holds its lock now (or, with `after`,
   * once that settles: a task's start passes its agent's start): never on a task's path.
   */
  function maintainLater(mirror: string, after: Promise<void> = Promise.resolve()): void {
    const maintain = () => lock.run(mirror, () => maintainMirror(mirror));
    void after
      .then(maintain, maintain)
      .catch((error: unknown) =>
        logger.warn({ err: error, mirror }, "git mirror maintenance failed"),
      );
  }

  /**
   * Fetches (or first clones) a repository's mirror and queues its housekeeping. Call it
   * under the mirror's lock: fetching writes the mirror's refs.
   */
  async function syncRepo(
    mirror: string,
    repo: RepoConfig,
    maintainAfter?: Promise<void>,
  ): Promise<void> {
    await syncMirror(mirror, remoteAccess(repo.cloneUrl, options.pushToken), logger);
    maintainLater(mirror, maintainAfter);
  }

  function toWorkspace(dir: string, meta: WorktreeMeta): Workspace {
    return { path: dir, branch: meta.branch, baseSha: meta.baseSha };
  }

  async function createWorktree(
    repo: RepoConfig,
    taskId: string,
    dir: string,
    branch: string,
    mirror: string,
    restoring: { baseSha: string; changes: Uint8Array } | undefined,
    refillAfter: Promise<void> | undefined,
  ) {
    await syncRepo(mirror, repo, refillAfter);
    const baseRef = `${REMOTE_REFS}${repo.baseBranch}`;
    // A re-run of a ticket continues the branch it already pushed rather than racing it:
    // from the fork when branches are pushed there, the upstream's branch is not ours then.
    const remoteBranch =
      repo.pushUrl === undefined
        ? `${REMOTE_REFS}${branch}`
        : await fetchForkBranch(mirror, remoteAccess(repo.pushUrl, options.pushToken), branch);
    const [baseTip, remoteTip] = await Promise.all([
      resolveRef(mirror, baseRef),
      resolveRef(mirror, remoteBranch),
    ]);
    if (!baseTip) {
      throw new AppError(
        "git_failed",
        `Base branch ${repo.baseBranch} does not exist in ${repo.github}.`,
      );
    }
    // A restored checkpoint keeps the base its changes are against, wherever the base moved.
    const baseSha =
      restoring?.baseSha ??
      (remoteTip ? await gitOut(["merge-base", baseTip, remoteTip], { cwd: mirror }) : baseTip);
    const start = remoteTip ?? restoring?.baseSha ?? baseTip;
    // --- warm worktree pool: claim one (a rename and a small checkout) if one is ready ---
    const warm = await warmPool.claim({ mirror, dir, branch, target: start });
    refillWhen(refillAfter, mirror, baseRef, repo);
    // --- end warm worktree pool ---
    if (!warm) {
      // A half-made worktree from a crash is discarded, and git forgets stale registrations.
      await rm(dir, { recursive: true, force: true });
      await runGit(["worktree", "prune"], { cwd: mirror });
      await mkdir(worktreesDir, { recursive: true });
      // -B: a local branch left over from an earlier, removed attempt is reset, not an error.
      await runGit(["worktree", "add", "--quiet", "--no-track", "-B", branch, dir, start], {
        cwd: mirror,
      });
    }
    // The server's commits build on this, never on commits the agent makes (published-ref.ts).
    await recordPublished(mirror, branch, start);
    // Before the metadata: a crash mid-restore leaves an unfinished worktree, made again.
    if (restoring !== undefined) await applyCheckpoint(dir, restoring.baseSha, restoring.changes);
    const meta: WorktreeMeta = {
      version: 1,
      taskId,
      repo: repo.github,
      mirror,
      branch,
      baseBranch: repo.baseBranch,
      baseSha,
    };
    await writeWorktreeMeta(dir, meta);
    logger.info(
      {
        taskId,
        repo: repo.github,
        branch,
        baseSha,
        continued: remoteTip !== null,
        warm,
        restored: restoring !== undefined,
      },
      "git worktree created",
    );
    return toWorkspace(dir, meta);
  }

  /**
   * The task's worktree: the one on disk, or a new one (from a checkpoint when `restoring`).
   * Made under the mirror's lock: creating it fetches and adds a worktree to the mirror.
   */
  async function prepareWorktree(
    repo: RepoConfig,
    taskId: string,
    branch: string,
    restoring?: { baseSha: string; changes: Uint8Array },
    refillAfter?: Promise<void>,
  ): Promise<Workspace> {
    const dir = worktreePath(taskId);
    await assertBranchName(branch);
    const mirror = mirrorPath(root, repo.github);
    return lock.run(mirror, async () => {
      const existing = await readWorktreeMeta(dir);
      if (existing) {
        if (existing.branch !== branch) {
          logger.warn(
            { taskId, branch: existing.branch, requested: branch },
            "git worktree reused on its own branch",
          );
        } else {
          logger.info({ taskId, branch }, "git worktree reused");
        }
        return toWorkspace(dir, existing);
      }
      try {
        return await createWorktree(repo, taskId, dir, branch, mirror, restoring, refillAfter);
      } catch (error) {
        logger.error({ taskId, repo: repo.github, err: error }, "git worktree preparation failed");
        throw error;
      }
    });
  }

  /**
   * Tops the pool up once `after` settles (at once without it): the refill's checkout and
   * setup take the cores the task that just claimed a worktree needs to start its agent.
   */
  function refillWhen(
    after: Promise<void> | undefined,
    mirror: string,
    baseRef: string,
    repo: RepoConfig,
  ): void {
    const refill = (): void => warmPool.refill(mirror, baseRef, warmPrepare(repo));
    if (after === undefined) refill();
    else void after.then(refill, refill);
  }

  async function warmUpAll(repos: readonly RepoConfig[]): Promise<void> {
    if ((options.warmWorktrees ?? 0) <= 0) return;
    for (const repo of repos) {
      if (stopped) return;
      const mirror = mirrorPath(root, repo.github);
      try {
        await lock.run(mirror, () => syncRepo(mirror, repo));
        warmPool.refill(mirror, `${REMOTE_REFS}${repo.baseBranch}`, warmPrepare(repo));
        await warmPool.idle(); // one repository's checkouts at a time
      } catch (error) {
        logger.warn({ err: error, repo: repo.github }, "git warm-up failed");
      }
    }
  }

  return {
    warmUp(repos) {
      warming = warming.then(() => warmUpAll(repos));
      return warming;
    },

    async stop() {
      stopped = true;
      await warming;
      await warmPool.stop();
    },

    idle() {
      return warmPool.idle();
    },

    prepare(repo, taskId, branch, prepareOptions?: PrepareOptions) {
      return prepareWorktree(repo, taskId, branch, undefined, prepareOptions?.refillAfter);
    },

    restore(repo, taskId, branch, saved) {
      return prepareWorktree(repo, taskId, branch, saved);
    },

    checkpoint(workspace) {
      return checkpointPatch(workspace);
    },

    async find(taskId) {
      const dir = worktreePath(taskId);
      const meta = await readWorktreeMeta(dir);
      return meta ? toWorkspace(dir, meta) : null;
    },

    async listIds() {
      const names = (await readdir(worktreesDir).catch(() => [] as string[])).filter((name) =>
        isSafeTaskId(name),
      );
      // Only finished worktrees (with their metadata): half-made ones belong to a prepare.
      const done = await Promise.all(
        names.map(async (name) => (await readWorktreeMeta(path.join(worktreesDir, name))) !== null),
      );
      return names.filter((_, i) => done[i]);
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
      const dir = worktreePath(checkoutId);
      const mirror = mirrorPath(root, repo.github);
      const ctx = {
        mirror,
        dir,
        worktreesRoot: worktreesDir,
        pushToken: options.pushToken,
        logger,
      };
      const checkout = lock.run(mirror, () => checkoutPullRequest(ctx, repo, checkoutId, pr));
      maintainLater(mirror);
      return checkout;
    },

    async updateFromBase(repo, workspace, author) {
      const meta = await readWorktreeMeta(workspace.path);
      if (!meta) throw new AppError("git_failed", "The task's worktree no longer exists.");
      await lock.run(meta.mirror, () => syncRepo(meta.mirror, repo));
      return mergeMovedBase(workspace, meta, author, logger);
    },

    async remove(taskId) {
      const dir = worktreePath(taskId);
      const meta = await readWorktreeMeta(dir);
      if (!meta) {
        // Not a (finished) worktree: only a stray directory can be left to clean.
        if (await exists(dir)) await rm(dir, { recursive: true, force: true });
        return;
      }
      await lock.run(meta.mirror, async () => {
        await runGit(["worktree", "remove", "--force", "--force", dir], { cwd: meta.mirror });
        await runGit(["worktree", "prune"], { cwd: meta.mirror });
        // The branch was pushed already or is being thrown away; a later run re-creates it from the remote.
        const deleted = await runGit(["branch", "-D", "--quiet", meta.branch], {
          cwd: meta.mirror,
          okExitCodes: [1],
        });
        if (deleted.exitCode !== 0)
          logger.warn({ taskId, branch: meta.branch }, "git branch not deleted");
        await forgetPublished(meta.mirror, meta.branch);
      });
      logger.info({ taskId, branch: meta.branch }, "git worktree removed");
    },
  };
}

/** Rejects names git would refuse, before any work is done. */
async function assertBranchName(branch: string): Promise<void> {
  const valid =
    !branch.startsWith("-") &&
    (await runGit(["check-ref-format", "--branch", branch], { okExitCodes: [1, 128] })).exitCode ===
      0;
  if (!valid) {
    throw new AppError("git_failed", `Invalid branch name: ${branch}`);
  }
}

async function exists(target: string): Promise<boolean> {
  return stat(target).then(
    () => true,
    () => false,
  );
}
