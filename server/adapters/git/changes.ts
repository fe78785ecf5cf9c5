import { randomUUID } from "node:crypto";
import { copyFile, readFile, rm, stat, utimes } from "node:fs/promises";
import path from "node:path";
import type { CommitAuthor, Workspace } from "../../domain/ports/workspaces.js";
import { AppError } from "../../domain/app-error.js";
import { gitOut, runGit } from "./run-git.js";
import { gitDirOf } from "./worktree-git-dir.js";

/**
 * Options that keep output stable whatever the host's git config says, and keep
 * repository hooks (which an agent's `npm install` may have enabled through husky)
 * from running inside the server's own git calls.
 */
const SAFE_CONFIG = ["-c", "core.hooksPath=/dev/null", "-c", "core.quotePath=false"] as const;

/**
 * The unified diff of everything in the worktree against the workspace's base commit:
 * commits, staged and unstaged edits, new untracked files (minus ignored ones) and
 * deletions. It stages into a throwaway copy of the index, so the worktree's real
 * index — which the agent may be using — is never touched.
 */
export async function worktreeDiff(workspace: Workspace): Promise<string> {
  const cwd = workspace.path;
  const gitDir = await gitDirOf(cwd);
  const index = path.join(gitDir, `patchboard-diff-${randomUUID()}.index`);
  const env = { GIT_INDEX_FILE: index };
  try {
    // Starting from a copy keeps git's stat cache, so `add -A` only rehashes changed
    // files instead of all of them — what makes this fast on a large repository.
    const copied = await copyIndex(path.join(gitDir, "index"), index);
    if (!copied) await runGit(["read-tree", "HEAD"], { cwd, env });
    return await stageAndDiff(workspace, env);
  } finally {
    await rm(index, { force: true });
  }
}

/**
 * Copies an index with its modification time. Git trusts an entry's cached stat only when
 * the file is older than the index file itself; entries as new as the index are "racily
 * clean" and compared by content. A copy stamped with the current time would make a file
 * edited in the same second as the checkout (same size, and git compares whole seconds)
 * look unchanged, and the diff would silently miss it. The time is rounded down, so the
 * copy can only look older, which makes git check more, never less.
 */
async function copyIndex(from: string, to: string): Promise<boolean> {
  try {
    const { mtimeNs, atimeNs } = await stat(from, { bigint: true });
    await copyFile(from, to);
    const seconds = (ns: bigint): number => Number(ns / 1000n) / 1e6;
    await utimes(to, seconds(atimeNs), seconds(mtimeNs));
    return true;
  } catch {
    return false;
  }
}

/**
 * Stages everything in the worktree's own index (new files too, minus ignored ones) and
 * returns the staged change against the base: exactly what {@link commitStaged} would
 * publish. One walk of the worktree serves both the publish guard and the commit — on a
 * large repository that walk is the expensive part of publishing.
 */
export async function stageAll(workspace: Workspace): Promise<string> {
  await assertOnBranch(workspace);
  return stageAndDiff(workspace, {});
}

/** `git add --all` into the index `env` names (the worktree's own by default), then its diff against the base. */
async function stageAndDiff(workspace: Workspace, env: Record<string, string>): Promise<string> {
  const cwd = workspace.path;
  await runGit([...SAFE_CONFIG, "add", "--all", "--", "."], { cwd, env });
  const result = await runGit(
    [
      ...SAFE_CONFIG,
      "diff",
      "--cached",
      "--no-color",
      "--no-ext-diff",
      "--no-textconv",
      "--src-prefix=a/",
      "--dst-prefix=b/",
      workspace.baseSha,
      "--",
    ],
    { cwd, env },
  );
  return result.stdout;
}

/**
 * Commits what is staged on the workspace's branch. Returns the branch's new head, or
 * null when the branch has nothing that differs from its base. When the agent committed
 * by itself and left nothing staged, its commit is the answer.
 *
 * The commit is made from the index with plumbing (write-tree, commit-tree, update-ref):
 * `git commit` would walk the whole worktree again after `stageAll` just did. A merge the
 * agent resolved is concluded with `git commit`, which records both parents and clears
 * the merge state.
 */
export async function commitStaged(
  workspace: Workspace,
  message: string,
  author: CommitAuthor,
): Promise<string | null> {
  const cwd = workspace.path;
  await assertOnBranch(workspace);
  const env = commitIdentity(author);
  if (await mergeInProgress(cwd)) {
    await runGit([...SAFE_CONFIG, ...NO_SIGN, "commit", "--quiet", "--no-verify", "-m", message], {
      cwd,
      env,
    });
    const merged = await headAndTrees(cwd, workspace.baseSha);
    return merged.headTree === merged.baseTree ? null : merged.head;
  }
  // write-tree refuses an index with unresolved conflicts, as `git commit` would. It
  // only reads the index and writes objects, so reading HEAD meanwhile is safe.
  const [tree, { head, headTree, baseTree }] = await Promise.all([
    gitOut(["write-tree"], { cwd }),
    headAndTrees(cwd, workspace.baseSha),
  ]);
  let tip = head;
  if (tree !== headTree) {
    tip = await gitOut([...NO_SIGN, "commit-tree", tree, "-p", head, "-m", cleanMessage(message)], {
      cwd,
      env,
    });
    // Moves the branch only if nobody moved it meanwhile (the old value must still match).
    await runGit(["update-ref", "-m", "commit: Patchboard", "HEAD", tip, head], { cwd });
  }
  return tree === baseTree ? null : tip;
}

/** HEAD, its tree and the base's tree, in one git call. */
async function headAndTrees(
  cwd: string,
  baseSha: string,
): Promise<{ head: string; headTree: string; baseTree: string }> {
  const [head = "", headTree = "", baseTree = ""] = (
    await gitOut(["rev-parse", "HEAD", "HEAD^{tree}", `${baseSha}^{tree}`], { cwd })
  ).split("\n");
  return { head, headTree, baseTree };
}

/** Signing would need a key the server does not have (and may prompt). */
const NO_SIGN = ["-c", "commit.gpgSign=false"] as const;

/** The server's commits are authored and committed by the configured identity. */
export function commitIdentity(author: CommitAuthor): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
  };
}

/** Whether the agent is concluding a merge (the catch-up with a moved base left one). */
async function mergeInProgress(cwd: string): Promise<boolean> {
  const gitDir = await gitDirOf(cwd);
  return stat(path.join(gitDir, "MERGE_HEAD")).then(
    () => true,
    () => false,
  );
}

/**
 * What `git commit -m` does to a message and commit-tree does not: no trailing spaces,
 * no leading or trailing blank lines, no runs of blank lines, one final newline.
 */
export function cleanMessage(message: string): string {
  const lines = message.split(/\r?\n/).map((line) => line.trimEnd());
  const kept = lines.filter((line, i) => line !== "" || (i > 0 && lines[i - 1] !== ""));
  return `${kept.join("\n").trim()}\n`;
}

/** Refuses to stage or commit in a worktree the agent moved off the task's branch. */
async function assertOnBranch(workspace: Workspace): Promise<void> {
  const head = await symbolicHead(workspace.path);
  if (head !== `refs/heads/${workspace.branch}`) {
    throw new AppError(
      "git_failed",
      `The worktree is no longer on branch ${workspace.branch} (HEAD is ${head || "detached"}); refusing to commit.`,
    );
  }
}

/**
 * The ref HEAD points at (`refs/heads/…`), or "" when it is detached. Read from the
 * worktree's HEAD file, as git itself does, instead of spawning git twice per publish;
 * asked of git when the file cannot be read.
 */
async function symbolicHead(cwd: string): Promise<string> {
  const text = await readFile(path.join(await gitDirOf(cwd), "HEAD"), "utf8").catch(() => null);
  if (text === null) return gitOut(["symbolic-ref", "--quiet", "HEAD"], { cwd, okExitCodes: [1] });
  return /^ref: (\S+)\s*$/.exec(text)?.[1] ?? "";
}
