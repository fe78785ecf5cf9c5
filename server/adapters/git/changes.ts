import { randomUUID } from "node:crypto";
import { copyFile, readFile, rm, stat, utimes } from "node:fs/promises";
import path from "node:path";
import type { CommitAuthor, StagedChange, Workspace } from "../../domain/ports/workspaces.js";
import { AppError } from "../../domain/app-error.js";
import { isAncestor, publishedTip } from "./published-ref.js";
import { gitBytes, gitOut, runGit } from "./run-git.js";
import { readStagedChange } from "./staged-change.js";
import { gitDirOf } from "./worktree-git-dir.js";

/**
 * Keeps output stable whatever the repository's config says. Hooks, filters and the
 * rest are turned off for every git call in run-git.ts.
 */
const SAFE_CONFIG = ["-c", "core.quotePath=false"] as const;

/**
 * The unified diff of everything in the worktree against the workspace's base commit:
 * commits, staged and unstaged edits, new untracked files (minus ignored ones) and
 * deletions. It stages into a throwaway copy of the index, so the worktree's real
 * index — which the agent may be using — is never touched.
 */
export async function worktreeDiff(workspace: Workspace): Promise<string> {
  return withScratchIndex(workspace, (env) => stageAndDiff(workspace, env));
}

/**
 * Everything in the worktree against its base as a binary patch (`git apply` restores it
 * byte for byte, new, deleted and binary files included), staged into a throwaway index
 * like {@link worktreeDiff}.
 */
export async function checkpointPatch(workspace: Workspace): Promise<Buffer> {
  return withScratchIndex(workspace, async (env) => {
    const cwd = workspace.path;
    await runGit([...SAFE_CONFIG, "add", "--all", "--", "."], { cwd, env });
    const args = ["diff", "--cached", "--binary", "--full-index", "--no-renames", "--no-color"];
    return gitBytes(
      [...SAFE_CONFIG, ...args, "--no-ext-diff", "--no-textconv", workspace.baseSha, "--"],
      { cwd, env },
    );
  });
}

/**
 * Runs `work` with GIT_INDEX_FILE set to a copy of the worktree's index, removed
 * afterwards, so the real index — which the agent may be using — is never touched.
 */
async function withScratchIndex<T>(
  workspace: Workspace,
  work: (env: Record<string, string>) => Promise<T>,
): Promise<T> {
  const cwd = workspace.path;
  const gitDir = await gitDirOf(cwd);
  const index = path.join(gitDir, `patchboard-diff-${randomUUID()}.index`);
  const env = { GIT_INDEX_FILE: index };
  try {
    // Starting from a copy keeps git's stat cache, so `add -A` only rehashes changed
    // files instead of all of them — what makes this fast on a large repository.
    const copied = await copyIndex(path.join(gitDir, "index"), index);
    if (!copied) await runGit(["read-tree", "HEAD"], { cwd, env });
    return await work(env);
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
export async function stageAll(workspace: Workspace): Promise<StagedChange> {
  await assertOnBranch(workspace);
  await runGit([...SAFE_CONFIG, "add", "--all", "--", "."], { cwd: workspace.path });
  return readStagedChange(workspace.path, workspace.baseSha, cachedDiff(workspace, {}));
}

/** `git add --all` into the index `env` names (the worktree's own by default), then its diff against the base. */
async function stageAndDiff(workspace: Workspace, env: Record<string, string>): Promise<string> {
  await runGit([...SAFE_CONFIG, "add", "--all", "--", "."], { cwd: workspace.path, env });
  return cachedDiff(workspace, env);
}

/** The unified diff of the index `env` names against the base. */
async function cachedDiff(workspace: Workspace, env: Record<string, string>): Promise<string> {
  const cwd = workspace.path;
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
 * Commits what is staged on the workspace's branch as one commit whose parent is what the
 * server published last (or the branch's starting point), and moves the branch to it.
 * Returns that commit, or null when the tree does not differ from the base.
 *
 * Commits the agent made itself, and the work-in-progress commit a base update saves,
 * are left out of the branch: only their final tree is published. The publish guard
 * checks that final tree, so an intermediate commit that added a secret and a later one
 * that removed it must never reach the remote's history. When the base was merged in
 * (a base update, concluded by the agent or still in progress), the base's tip is the
 * second parent, so the pull request still shows only the task's own change.
 *
 * The commit is made from the index with plumbing (write-tree, commit-tree, update-ref):
 * `git commit` would walk the whole worktree again after `stageAll` just did.
 */
export async function commitStaged(
  workspace: Workspace,
  message: string,
  author: CommitAuthor,
): Promise<string | null> {
  const cwd = workspace.path;
  await assertOnBranch(workspace);
  // write-tree refuses an index with unresolved conflicts, as `git commit` would. It
  // only reads the index and writes objects, so reading HEAD meanwhile is safe.
  const [tree, published, merging] = await Promise.all([
    gitOut(["write-tree"], { cwd }),
    publishedTip(workspace),
    mergeHead(cwd),
  ]);
  const [head = "", baseTree = "", publishedTree = ""] = (
    await gitOut(["rev-parse", "HEAD", `${workspace.baseSha}^{tree}`, `${published}^{tree}`], {
      cwd,
    })
  ).split("\n");
  const parents = [published];
  if (
    !(await isAncestor(cwd, workspace.baseSha, published)) &&
    (merging === workspace.baseSha || (await isAncestor(cwd, workspace.baseSha, head)))
  ) {
    parents.push(workspace.baseSha);
  }
  const tip =
    parents.length === 1 && tree === publishedTree
      ? published
      : await gitOut(
          [
            ...NO_SIGN,
            "commit-tree",
            tree,
            ...parents.flatMap((p) => ["-p", p]),
            "-m",
            cleanMessage(message),
          ],
          { cwd, env: commitIdentity(author) },
        );
  // Moves the branch only if nobody moved it meanwhile (the old value must still match).
  if (tip !== head) {
    await runGit(["update-ref", "-m", "commit: Patchboard", "HEAD", tip, head], { cwd });
  }
  // The merge, if one was in progress, is concluded by the commit just made.
  if (merging !== null) await runGit(["merge", "--quit"], { cwd });
  return tree === baseTree ? null : tip;
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

/** The commit being merged (the catch-up with a moved base left a merge), or null. */
async function mergeHead(cwd: string): Promise<string | null> {
  const gitDir = await gitDirOf(cwd);
  const text = await readFile(path.join(gitDir, "MERGE_HEAD"), "utf8").catch(() => null);
  return text === null ? null : (text.split("\n")[0]?.trim() ?? null);
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
