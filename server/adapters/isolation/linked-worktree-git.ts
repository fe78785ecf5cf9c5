import { lstatSync, readFileSync, realpathSync } from "node:fs";
import path from "node:path";

/** Git's pointer files (`.git`, `gitdir`, `commondir`) hold one path. */
const MAX_POINTER_BYTES = 4096;

/** Whether `file` is a regular file (not a link) or a directory, as asked; false when absent. */
function isKind(file: string, kind: "file" | "dir"): boolean {
  try {
    const stat = lstatSync(file);
    return kind === "file" ? stat.isFile() : stat.isDirectory();
  } catch {
    return false;
  }
}

function realOrNull(file: string): string | null {
  try {
    return realpathSync(file);
  } catch {
    return null;
  }
}

/** A linked worktree's git directories: real paths on the host, and as its `.git` file names them. */
export interface LinkedWorktreeGit {
  gitDir: string;
  commonDir: string;
  namedGitDir: string;
  namedCommonDir: string;
}

/**
 * The git directory and common directory of a linked worktree, or null when `workdir` is
 * not one that can be trusted. The `.git` file and everything the sandboxed commands
 * wrote are the agent's to forge, and whatever they name is mounted, so this believes
 * only a layout git itself makes: `.git` a regular file naming `<common>/worktrees/<name>`
 * outside the worktree, whose `gitdir` file points back at this very `.git`, and whose
 * common directory (its grandparent; the `commondir` file must agree) is a repository.
 * A forged pointer at `DATA_DIR`, at another task's worktree or at another repository's
 * mirror gets no git mounts at all.
 */
export function linkedWorktreeGit(workdir: string): LinkedWorktreeGit | null {
  const realWorkdir = realOrNull(workdir);
  if (realWorkdir === null) return null;
  const dotGit = path.join(realWorkdir, ".git");
  const match = /^gitdir: (.+)$/m.exec(readTrimmed(dotGit) ?? "");
  if (match?.[1] === undefined) return null;
  const named = path.resolve(realWorkdir, match[1].trim());
  const gitDir = realOrNull(named);
  if (gitDir === null || path.basename(path.dirname(gitDir)) !== "worktrees") return null;
  if (isInside(gitDir, realWorkdir)) return null;
  const back = readTrimmed(path.join(gitDir, "gitdir"));
  if (back === null || realOrNull(back) !== dotGit) return null;
  const commonDir = path.dirname(path.dirname(gitDir));
  const common = readTrimmed(path.join(gitDir, "commondir"));
  if (common !== null && realOrNull(path.resolve(gitDir, common)) !== commonDir) return null;
  if (!isKind(path.join(commonDir, "HEAD"), "file")) return null;
  if (!isKind(path.join(commonDir, "objects"), "dir")) return null;
  // Git inside follows the paths as the `.git` file names them, links and all.
  return {
    gitDir,
    commonDir,
    namedGitDir: named,
    namedCommonDir: path.dirname(path.dirname(named)),
  };
}

/** A small regular file's text, trimmed; null when absent, a link, or too big to be git's. */
function readTrimmed(file: string): string | null {
  try {
    const stat = lstatSync(file);
    if (!stat.isFile() || stat.size > MAX_POINTER_BYTES) return null;
    return readFileSync(file, "utf8").trim();
  } catch {
    return null;
  }
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}
