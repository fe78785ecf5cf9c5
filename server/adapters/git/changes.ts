import { randomUUID } from "node:crypto";
import { copyFile, rm } from "node:fs/promises";
import path from "node:path";
import type { CommitAuthor, Workspace } from "../../domain/ports/workspaces.js";
import { AppError } from "../../domain/app-error.js";
import { gitOut, runGit } from "./run-git.js";

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
  const gitDir = await gitOut(["rev-parse", "--absolute-git-dir"], { cwd });
  const index = path.join(gitDir, `patchboard-diff-${randomUUID()}.index`);
  const env = { GIT_INDEX_FILE: index };
  try {
    // Starting from a copy keeps git's stat cache, so `add -A` only rehashes changed
    // files instead of all of them — what makes this fast on a large repository.
    const copied = await copyFile(path.join(gitDir, "index"), index).then(
      () => true,
      () => false,
    );
    if (!copied) await runGit(["read-tree", "HEAD"], { cwd, env });
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
  } finally {
    await rm(index, { force: true });
  }
}

/**
 * Stages everything and commits it on the workspace's branch. Returns the branch's
 * new head, or null when the branch has nothing that differs from its base. When the
 * agent committed by itself and left nothing uncommitted, its commit is the answer.
 */
export async function commitAll(
  workspace: Workspace,
  message: string,
  author: CommitAuthor,
): Promise<string | null> {
  const cwd = workspace.path;
  const head = await gitOut(["symbolic-ref", "--quiet", "HEAD"], { cwd, okExitCodes: [1] });
  if (head !== `refs/heads/${workspace.branch}`) {
    throw new AppError(
      "git_failed",
      `The worktree is no longer on branch ${workspace.branch} (HEAD is ${head || "detached"}); refusing to commit.`,
    );
  }
  await runGit([...SAFE_CONFIG, "add", "--all", "--", "."], { cwd });
  const staged = await runGit(["diff", "--cached", "--quiet", "--no-ext-diff"], {
    cwd,
    okExitCodes: [1],
  });
  if (staged.exitCode === 1) {
    await runGit(
      [
        ...SAFE_CONFIG,
        "-c",
        "commit.gpgSign=false",
        "commit",
        "--quiet",
        "--no-verify",
        "-m",
        message,
      ],
      {
        cwd,
        env: {
          GIT_AUTHOR_NAME: author.name,
          GIT_AUTHOR_EMAIL: author.email,
          GIT_COMMITTER_NAME: author.name,
          GIT_COMMITTER_EMAIL: author.email,
        },
      },
    );
  }
  const changed = await runGit(
    ["diff", "--quiet", "--no-ext-diff", workspace.baseSha, "HEAD", "--"],
    {
      cwd,
      okExitCodes: [1],
    },
  );
  if (changed.exitCode === 0) return null;
  return gitOut(["rev-parse", "HEAD"], { cwd });
}
