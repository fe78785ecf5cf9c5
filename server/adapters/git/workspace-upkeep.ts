import type { RepoConfig } from "../../domain/repo-config.js";
import { mirrorPath, REMOTE_REFS } from "./mirror.js";
import { syncRepo, type WorkspaceContext } from "./workspace-context.js";

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

/**
 * The warm-up and shutdown of the workspaces. Warm-ups are chained, never run side by side:
 * each one's checkouts take the cores, and `stop()` waits for the chain.
 */
export function createWorkspaceUpkeep(
  ctx: WorkspaceContext,
  warmWorktrees: number,
): WorkspaceUpkeep {
  let warming: Promise<void> = Promise.resolve();
  let stopped = false;

  async function warmUpAll(repos: readonly RepoConfig[]): Promise<void> {
    if (warmWorktrees <= 0) return;
    for (const repo of repos) {
      if (stopped) return;
      const mirror = mirrorPath(ctx.root, repo.github);
      try {
        await ctx.lock.run(mirror, () => syncRepo(ctx, mirror, repo));
        ctx.warmPool.refill(mirror, `${REMOTE_REFS}${repo.baseBranch}`, ctx.warmPrepare(repo));
        await ctx.warmPool.idle(); // one repository's checkouts at a time
      } catch (error) {
        ctx.logger.warn({ err: error, repo: repo.github }, "git warm-up failed");
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
      await ctx.warmPool.stop();
    },

    idle() {
      return ctx.warmPool.idle();
    },
  };
}
