import { mkdir, rm } from "node:fs/promises";
import type { RepoConfig } from "../../domain/repo-config.js";
import type { Workspace } from "../../domain/ports/workspaces.js";
import { AppError } from "../../domain/app-error.js";
import { applyCheckpoint } from "./apply-checkpoint.js";
import { fetchForkBranch, mirrorPath, REMOTE_REFS, resolveRef } from "./mirror.js";
import { recordPublished } from "./published-ref.js";
import { remoteAccess } from "./remote.js";
import { gitOut, runGit } from "./run-git.js";
import { syncRepo, worktreePath, type WorkspaceContext } from "./workspace-context.js";
import { readWorktreeMeta, writeWorktreeMeta, type WorktreeMeta } from "./worktree-meta.js";

/** A stored checkpoint to rebuild a worktree from: its base and its changes against that base. */
export interface Restoring {
  baseSha: string;
  changes: Uint8Array;
}

/** The domain's view of a worktree on disk. */
export function toWorkspace(dir: string, meta: WorktreeMeta): Workspace {
  return { path: dir, branch: meta.branch, baseSha: meta.baseSha };
}

/**
 * The task's worktree: the one on disk, or a new one (from a checkpoint when `restoring`).
 * Made under the mirror's lock: creating it fetches and adds a worktree to the mirror.
 */
export async function prepareWorktree(
  ctx: WorkspaceContext,
  repo: RepoConfig,
  taskId: string,
  branch: string,
  restoring?: Restoring,
  refillAfter?: Promise<void>,
): Promise<Workspace> {
  const { logger } = ctx;
  const dir = worktreePath(ctx, taskId);
  await assertBranchName(branch);
  const mirror = mirrorPath(ctx.root, repo.github);
  return ctx.lock.run(mirror, async () => {
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
      return await createWorktree(ctx, repo, taskId, dir, branch, mirror, restoring, refillAfter);
    } catch (error) {
      logger.error({ taskId, repo: repo.github, err: error }, "git worktree preparation failed");
      throw error;
    }
  });
}

async function createWorktree(
  ctx: WorkspaceContext,
  repo: RepoConfig,
  taskId: string,
  dir: string,
  branch: string,
  mirror: string,
  restoring: Restoring | undefined,
  refillAfter: Promise<void> | undefined,
): Promise<Workspace> {
  await syncRepo(ctx, mirror, repo, refillAfter);
  const baseRef = `${REMOTE_REFS}${repo.baseBranch}`;
  // A re-run of a ticket continues the branch it already pushed rather than racing it:
  // from the fork when branches are pushed there, the upstream's branch is not ours then.
  const remoteBranch =
    repo.pushUrl === undefined
      ? `${REMOTE_REFS}${branch}`
      : await fetchForkBranch(mirror, remoteAccess(repo.pushUrl, ctx.pushToken), branch);
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
  // The server's commits build on this, never on commits the agent makes (published-ref.ts).
  // A ref of the mirror's own, written while the worktree is claimed or made.
  const published = recordPublished(mirror, branch, start);
  published.catch(() => undefined); // awaited below; a failed checkout must not leave it unhandled
  // --- warm worktree pool: claim one (a rename and a small checkout) if one is ready ---
  const warm = await ctx.warmPool.claim({ mirror, dir, branch, target: start });
  refillWhen(ctx, refillAfter, mirror, baseRef, repo);
  // --- end warm worktree pool ---
  if (!warm) {
    // A half-made worktree from a crash is discarded, and git forgets stale registrations.
    await rm(dir, { recursive: true, force: true });
    await runGit(["worktree", "prune"], { cwd: mirror });
    await mkdir(ctx.worktreesDir, { recursive: true });
    // -B: a local branch left over from an earlier, removed attempt is reset, not an error.
    await runGit(["worktree", "add", "--quiet", "--no-track", "-B", branch, dir, start], {
      cwd: mirror,
    });
  }
  await published;
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
  ctx.logger.info(
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
 * Tops the pool up once `after` settles (at once without it): the refill's checkout and
 * setup take the cores the task that just claimed a worktree needs to start its agent.
 */
function refillWhen(
  ctx: WorkspaceContext,
  after: Promise<void> | undefined,
  mirror: string,
  baseRef: string,
  repo: RepoConfig,
): void {
  const refill = (): void => ctx.warmPool.refill(mirror, baseRef, ctx.warmPrepare(repo));
  if (after === undefined) refill();
  else void after.then(refill, refill);
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
