import { lstat, readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { AppError } from "../../domain/app-error.js";

/** Where a git command runs: its git directory and, for a checkout, its work tree. */
export interface GitLocation {
  gitDir: string;
  workTree: string | null;
}

/**
 * The git directory and work tree of `dir`, found by the server rather than by git's own
 * discovery: a worktree's `.git` file is inside the agent's reach, and git would follow
 * it to any directory (with that directory's config and hooks). A linked worktree's git
 * directory must be a `worktrees/<name>` folder outside the worktree whose `gitdir` file
 * points back at this worktree; anything else is refused. Null when `dir` is no
 * repository (e.g. before `git init`).
 */
export async function locateGitDir(dir: string): Promise<GitLocation | null> {
  const dotGit = path.join(dir, ".git");
  await refuseLinkedDotGit(dir, dotGit);
  const info = await stat(dotGit).catch(() => null);
  if (info?.isDirectory()) return { gitDir: dotGit, workTree: dir };
  if (info?.isFile()) return { gitDir: await linkedGitDir(dir, dotGit), workTree: dir };
  // A bare repository (a mirror, a fake remote): HEAD and objects/ at its top.
  const [head, objects] = await Promise.all([
    stat(path.join(dir, "HEAD")).catch(() => null),
    stat(path.join(dir, "objects")).catch(() => null),
  ]);
  if (head?.isFile() && objects?.isDirectory()) return { gitDir: dir, workTree: null };
  return null;
}

/**
 * The checked git directory of a linked worktree (see {@link locateGitDir}).
 *
 * @throws AppError `git_failed` when the `.git` file points anywhere else.
 */
export async function linkedGitDir(dir: string, dotGit = path.join(dir, ".git")): Promise<string> {
  await refuseLinkedDotGit(dir, dotGit);
  const text = await readFile(dotGit, "utf8");
  const match = /^gitdir: (.+)$/m.exec(text);
  const refuse = (why: string): never => {
    throw new AppError("git_failed", `Refusing to run git in ${dir}: its .git file ${why}.`);
  };
  if (match?.[1] === undefined) return refuse("names no git directory");
  const gitDir = path.resolve(dir, match[1].trim());
  const [realDir, realGitDir] = await Promise.all([
    realpath(dir),
    realpath(gitDir).catch(() => refuse("names a missing directory")),
  ]);
  if (path.basename(path.dirname(realGitDir)) !== "worktrees") {
    return refuse("does not name a linked worktree of a repository");
  }
  if (realGitDir === realDir || realGitDir.startsWith(`${realDir}${path.sep}`)) {
    return refuse("names a directory inside the worktree");
  }
  const back = await readFile(path.join(realGitDir, "gitdir"), "utf8").catch(() => "");
  const backTo = back.trim() === "" ? "" : await realpath(back.trim()).catch(() => "");
  if (backTo !== (await realpath(dotGit))) return refuse("names another worktree's directory");
  return realGitDir;
}

/**
 * A `.git` that is a symbolic link is refused: followed, a link to another task's `.git`
 * file passes the back-pointer check, and the server's git would then commit this
 * worktree's files onto the other task's branch. Git itself never makes such a link.
 */
async function refuseLinkedDotGit(dir: string, dotGit: string): Promise<void> {
  const link = await lstat(dotGit).catch(() => null);
  if (link?.isSymbolicLink()) {
    throw new AppError("git_failed", `Refusing to run git in ${dir}: its .git is a link.`);
  }
}
