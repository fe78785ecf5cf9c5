import { readFile } from "node:fs/promises";
import path from "node:path";
import { gitOut } from "./run-git.js";

/**
 * A linked worktree's private git directory (`<mirror>/worktrees/<name>`), read from its
 * `.git` file rather than by running git: it is asked on every prepare, claim and diff.
 * Null when `dir` is not a linked worktree (missing, or a `.git` directory).
 */
export async function worktreeGitDir(dir: string): Promise<string | null> {
  const text = await readFile(path.join(dir, ".git"), "utf8").catch(() => null);
  const match = text === null ? null : /^gitdir: (.+)$/m.exec(text);
  return match?.[1] === undefined ? null : path.resolve(dir, match[1].trim());
}

/** The git directory of a worktree: read from its `.git` file when it is linked, else asked of git. */
export async function gitDirOf(dir: string): Promise<string> {
  return (await worktreeGitDir(dir)) ?? gitOut(["rev-parse", "--absolute-git-dir"], { cwd: dir });
}
