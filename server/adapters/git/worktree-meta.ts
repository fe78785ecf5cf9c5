import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { worktreeGitDir } from "./worktree-git-dir.js";

/**
 * What the server remembers about a task's worktree. It lives in the worktree's own
 * git directory (`<mirror>/worktrees/<name>/`), so it never shows up as an untracked
 * file, and `git worktree remove` deletes it with the worktree.
 */
export interface WorktreeMeta {
  version: 1;
  taskId: string;
  /** `owner/name` */
  repo: string;
  /** Absolute path of the mirror the worktree belongs to. */
  mirror: string;
  branch: string;
  baseBranch: string;
  baseSha: string;
}

const META_FILE = "patchboard.json";

/** Reads a worktree's metadata; null when the directory is missing, broken or was never finished. */
export async function readWorktreeMeta(dir: string): Promise<WorktreeMeta | null> {
  const gitDir = await worktreeGitDir(dir);
  if (!gitDir) return null;
  try {
    const meta = JSON.parse(await readFile(path.join(gitDir, META_FILE), "utf8")) as WorktreeMeta;
    return meta.version === 1 && typeof meta.baseSha === "string" ? meta : null;
  } catch {
    return null;
  }
}

/** Records a worktree's metadata; written last, so its presence means the worktree is complete. */
export async function writeWorktreeMeta(dir: string, meta: WorktreeMeta): Promise<void> {
  const gitDir = await worktreeGitDir(dir);
  if (!gitDir) throw new Error(`not a git worktree: ${dir}`);
  await writeFile(path.join(gitDir, META_FILE), `${JSON.stringify(meta, null, 2)}\n`);
}
