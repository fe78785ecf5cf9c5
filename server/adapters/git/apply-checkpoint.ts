import { randomUUID } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { gitOut, runGit } from "./run-git.js";
import { gitDirOf } from "./worktree-git-dir.js";

/**
 * Makes a fresh worktree's files `baseSha` with a checkpoint's patch applied: the patch is
 * applied to a scratch index read from the base (never to files, so it applies exactly
 * whatever the branch's own commit is), that tree is written into the worktree (files the
 * patch deleted go), and the index goes back to HEAD so the change is uncommitted, as the
 * agent left it.
 */
export async function applyCheckpoint(
  dir: string,
  baseSha: string,
  changes: Uint8Array,
): Promise<void> {
  const gitDir = await gitDirOf(dir);
  const id = randomUUID();
  const index = path.join(gitDir, `patchboard-restore-${id}.index`);
  const patch = path.join(gitDir, `patchboard-restore-${id}.patch`);
  const env = { GIT_INDEX_FILE: index };
  try {
    await runGit(["read-tree", `${baseSha}^{tree}`], { cwd: dir, env });
    if (changes.length > 0) {
      // A file, not stdin: the patch is bytes (a text file need not be UTF-8).
      await writeFile(patch, changes);
      await runGit(["apply", "--cached", "--binary", "--whitespace=nowarn", patch], {
        cwd: dir,
        env,
      });
    }
    const tree = await gitOut(["write-tree"], { cwd: dir, env });
    await runGit(["read-tree", "--reset", "-u", tree], { cwd: dir });
    await runGit(["read-tree", "HEAD"], { cwd: dir });
  } finally {
    await Promise.all([rm(index, { force: true }), rm(patch, { force: true })]);
  }
}
