import type { Logger } from "pino";
import type { BaseUpdate, CommitAuthor, Workspace } from "../../domain/ports/workspaces.js";
import { AppError } from "../../domain/app-error.js";
import { commitIdentity } from "./changes.js";
import { REMOTE_REFS, resolveRef } from "./mirror.js";
import { gitOut, runGit } from "./run-git.js";
import { writeWorktreeMeta, type WorktreeMeta } from "./worktree-meta.js";

/** Enough for the agent to see what happened; the rest is counted, not listed. */
const MAX_COMMITS = 20;
const MAX_FILES = 50;

/** Repository hooks and signing must never run inside the server's own commits. */
const SAFE_CONFIG = ["-c", "core.hooksPath=/dev/null", "-c", "commit.gpgSign=false"] as const;

/**
 * Merges the (already fetched) tip of the base branch into a task's worktree when the
 * base has moved on. Uncommitted work is committed first so the merge can never lose
 * it; a conflicting merge is left in progress with conflict markers, for the agent to
 * resolve (the server's next commit then concludes the merge). The worktree's recorded
 * base moves to the merged tip, so its diff keeps showing only the task's own change.
 */
export async function mergeMovedBase(
  workspace: Workspace,
  meta: WorktreeMeta,
  author: CommitAuthor,
  logger: Logger,
): Promise<{ workspace: Workspace; update: BaseUpdate | null }> {
  const cwd = workspace.path;
  const baseTip = await resolveRef(cwd, `${REMOTE_REFS}${meta.baseBranch}`);
  if (baseTip === null) {
    throw new AppError("git_failed", `The base branch ${meta.baseBranch} no longer exists.`);
  }
  const contained = await runGit(["merge-base", "--is-ancestor", baseTip, "HEAD"], {
    cwd,
    okExitCodes: [1],
  });
  if (contained.exitCode === 0) return { workspace, update: null };

  const previousBase = await gitOut(["merge-base", "HEAD", baseTip], { cwd });
  const range = `${previousBase}..${baseTip}`;
  const log = await gitOut(
    ["log", "--no-color", `--max-count=${MAX_COMMITS}`, "--format=%H%x09%s", range],
    {
      cwd,
    },
  );
  const commits = log
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => {
      const [sha = "", ...subject] = line.split("\t");
      return { sha, subject: subject.join("\t") };
    });
  const commitCount = Number(await gitOut(["rev-list", "--count", range], { cwd }));
  const files = (
    await gitOut(["-c", "core.quotePath=false", "diff", "--name-only", previousBase, baseTip], {
      cwd,
    })
  )
    .split("\n")
    .filter((file) => file.length > 0);

  const env = commitIdentity(author);
  const dirty = (await gitOut(["status", "--porcelain"], { cwd })) !== "";
  if (dirty) {
    await runGit([...SAFE_CONFIG, "add", "--all", "--", "."], { cwd });
    await runGit(
      [
        ...SAFE_CONFIG,
        "commit",
        "--quiet",
        "--no-verify",
        "-m",
        `Save work in progress before merging ${meta.baseBranch}\n\nPatchboard task ${meta.taskId}`,
      ],
      { cwd, env },
    );
  }
  const merged = await runGit(
    [
      ...SAFE_CONFIG,
      "merge",
      "--no-ff",
      "--no-edit",
      "-m",
      `Merge ${meta.baseBranch} into ${meta.branch}`,
      baseTip,
    ],
    { cwd, env, okExitCodes: [1] },
  );
  let conflicts: string[] = [];
  if (merged.exitCode !== 0) {
    conflicts = (
      await gitOut(["-c", "core.quotePath=false", "diff", "--name-only", "--diff-filter=U"], {
        cwd,
      })
    )
      .split("\n")
      .filter((file) => file.length > 0);
    if (conflicts.length === 0) {
      throw new AppError(
        "git_failed",
        `git merge of ${meta.baseBranch} failed: ${merged.stderr.trim() || merged.stdout.trim()}`,
      );
    }
  }
  await writeWorktreeMeta(cwd, { ...meta, baseSha: baseTip });
  logger.info(
    { taskId: meta.taskId, previousBase, base: baseTip, commitCount, conflicts: conflicts.length },
    "git worktree updated from base",
  );
  return {
    workspace: { ...workspace, baseSha: baseTip },
    update: {
      previousBase,
      base: baseTip,
      commits,
      commitCount,
      files: files.slice(0, MAX_FILES),
      conflicts,
    },
  };
}
