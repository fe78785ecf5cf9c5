import { linkedGitDir } from "./git-location.js";
import { gitOut } from "./run-git.js";

/**
 * A linked worktree's private git directory (`<mirror>/worktrees/<name>`), read from its
 * `.git` file rather than by running git: it is asked on every prepare, claim and diff.
 * Null when `dir` is not a linked worktree (missing, a `.git` directory, or a `.git`
 * file that does not point at a worktree directory pointing back).
 */
export async function worktreeGitDir(dir: string): Promise<string | null> {
  // The .git file is the agent's to write: only a directory that points back here counts.
  return linkedGitDir(dir).catch(() => null);
}

/** The git directory of a worktree: read from its `.git` file when it is linked, else asked of git. */
export async function gitDirOf(dir: string): Promise<string> {
  return (await worktreeGitDir(dir)) ?? gitOut(["rev-parse", "--absolute-git-dir"], { cwd: dir });
}
