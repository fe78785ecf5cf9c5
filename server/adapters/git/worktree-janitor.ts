import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { isSafeTaskId } from "../../domain/task-id.js";
import { forgetPublished } from "./published-ref.js";
import { runGit } from "./run-git.js";
import { worktreePath, type WorkspaceContext } from "./workspace-context.js";
import { readWorktreeMeta } from "./worktree-meta.js";

/**
 * The ids of the finished worktrees on disk, for the janitor. A directory without its
 * metadata is half-made and belongs to a prepare still running (or to a crash, which the
 * next prepare of that task discards), so it is not listed.
 */
export async function listWorktreeIds(ctx: WorkspaceContext): Promise<string[]> {
  const names = (await readdir(ctx.worktreesDir).catch(() => [] as string[])).filter((name) =>
    isSafeTaskId(name),
  );
  const done = await Promise.all(
    names.map(async (name) => (await readWorktreeMeta(path.join(ctx.worktreesDir, name))) !== null),
  );
  return names.filter((_, i) => done[i]);
}

/**
 * Removes a task's worktree, its local branch and its published ref, under the mirror's
 * lock (removing a worktree writes the mirror's registrations). Idempotent: a missing
 * worktree is no error, a stray directory is deleted.
 */
export async function removeWorktree(ctx: WorkspaceContext, taskId: string): Promise<void> {
  const { logger } = ctx;
  const dir = worktreePath(ctx, taskId);
  const meta = await readWorktreeMeta(dir);
  if (!meta) {
    // Not a (finished) worktree: only a stray directory can be left to clean.
    if (await exists(dir)) await rm(dir, { recursive: true, force: true });
    return;
  }
  await ctx.lock.run(meta.mirror, async () => {
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
}

async function exists(target: string): Promise<boolean> {
  return stat(target).then(
    () => true,
    () => false,
  );
}
