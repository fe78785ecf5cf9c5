import type { Workspace } from "../../domain/ports/workspaces.js";
import { REMOTE_REFS, resolveRef } from "./mirror.js";
import { runGit } from "./run-git.js";

/**
 * Where the server remembers what a task branch's next commit builds on: the commit it
 * last pushed (recorded just before the push, see push.ts), or the commit the branch started from (the base, or the remote branch a
 * re-run continues). It is a ref of the mirror, which the agent's namespace mounts
 * read-only, so the agent can neither move nor forge it — unlike the branch itself and
 * the worktree's own git directory, which it may write when it runs unisolated.
 */
export function publishedRef(branch: string): string {
  return `refs/patchboard/published/${branch}`;
}

/** Records `sha` as what `branch`'s next publish builds on (`cwd`: the mirror or a worktree). */
export async function recordPublished(cwd: string, branch: string, sha: string): Promise<void> {
  await runGit(["update-ref", "-m", "patchboard: published", publishedRef(branch), sha], { cwd });
}

/** Forgets a branch's published commit once its worktree and local branch are removed. */
export async function forgetPublished(cwd: string, branch: string): Promise<void> {
  await runGit(["update-ref", "-d", publishedRef(branch)], { cwd, okExitCodes: [1] });
}

/**
 * The commit the workspace's next publish builds on. A worktree made before the ref
 * existed falls back to the remote branch (a re-run's starting point) when HEAD contains
 * it, and to the base otherwise.
 */
export async function publishedTip(workspace: Workspace): Promise<string> {
  const cwd = workspace.path;
  const recorded = await resolveRef(cwd, publishedRef(workspace.branch));
  if (recorded !== null) return recorded;
  const remote = await resolveRef(cwd, `${REMOTE_REFS}${workspace.branch}`);
  if (remote !== null && (await isAncestor(cwd, remote, "HEAD"))) return remote;
  return workspace.baseSha;
}

/** Whether `ancestor` is `descendant` or in its history. */
export async function isAncestor(
  cwd: string,
  ancestor: string,
  descendant: string,
): Promise<boolean> {
  const result = await runGit(["merge-base", "--is-ancestor", ancestor, descendant], {
    cwd,
    okExitCodes: [1],
  });
  return result.exitCode === 0;
}
