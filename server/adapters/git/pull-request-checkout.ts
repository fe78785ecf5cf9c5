import { mkdir, rm } from "node:fs/promises";
import type { Logger } from "pino";
import type { RepoConfig } from "../../domain/repo-config.js";
import type { PullRequestRef } from "../../domain/ports/review-ports.js";
import type { Workspace } from "../../domain/ports/workspaces.js";
import { AppError } from "../../domain/app-error.js";
import { REMOTE_REFS, resolveRef, syncMirror } from "./mirror.js";
import { remoteAccess } from "./remote.js";
import { gitOut, runGit } from "./run-git.js";
import { writeWorktreeMeta, type WorktreeMeta } from "./worktree-meta.js";

/** Where fetched pull request heads land in a mirror, apart from branches and remote refs. */
const PULL_REFS = "refs/patchboard/pull/";
/** Local branches of review worktrees; `remove()` deletes them with the worktree. */
export const REVIEW_BRANCH_PREFIX = "patchboard-review/";

/** What {@link checkoutPullRequest} needs from the workspaces it belongs to. */
export interface CheckoutContext {
  mirror: string;
  /** The worktree's directory (`root/worktrees/<checkoutId>`). */
  dir: string;
  worktreesRoot: string;
  pushToken: string | null | undefined;
  logger: Logger;
}

/**
 * Makes a worktree at a pull request's head for a read-only review. Call it under the
 * mirror's lock. The head comes from the mirror's branches when the pull request is from
 * the repository itself; otherwise (a fork) from GitHub's `refs/pull/N/head`. Its base
 * commit is the merge base with the base branch, so `git diff <baseSha>` is the change.
 */
export async function checkoutPullRequest(
  ctx: CheckoutContext,
  repo: RepoConfig,
  checkoutId: string,
  pr: PullRequestRef,
): Promise<Workspace> {
  const { mirror, dir, logger } = ctx;
  const access = remoteAccess(repo.cloneUrl, ctx.pushToken);
  await syncMirror(mirror, access, logger);
  const pullRef = `${PULL_REFS}${pr.number}`;
  let head = await resolveRef(mirror, pr.headSha);
  if (head === null) {
    // Forks' branches are not in the mirror; GitHub serves every pull request's head here.
    const fetched = await runGit(
      ["fetch", "--no-tags", "--quiet", "origin", `+refs/pull/${pr.number}/head:${pullRef}`],
      { cwd: mirror, env: access.env, secrets: access.secrets, okExitCodes: [1, 128] },
    );
    head = fetched.exitCode === 0 ? await resolveRef(mirror, pullRef) : null;
    if (head !== null && head !== pr.headSha) {
      logger.warn({ pr: pr.number, expected: pr.headSha, head }, "git pull request head moved");
    }
  }
  head ??= await resolveRef(mirror, `${REMOTE_REFS}${pr.headRef}`);
  if (head === null) {
    throw new AppError(
      "git_failed",
      `The head of pull request #${pr.number} (${pr.headRef}) could not be fetched from ${repo.github}.`,
    );
  }
  const baseTip = await resolveRef(mirror, `${REMOTE_REFS}${pr.baseRef}`);
  if (baseTip === null) {
    throw new AppError("git_failed", `Base branch ${pr.baseRef} does not exist in ${repo.github}.`);
  }
  const merged = await gitOut(["merge-base", baseTip, head], { cwd: mirror, okExitCodes: [1] });
  const baseSha = merged || baseTip;
  const branch = `${REVIEW_BRANCH_PREFIX}${checkoutId}`;
  await rm(dir, { recursive: true, force: true });
  await runGit(["worktree", "prune"], { cwd: mirror });
  await mkdir(ctx.worktreesRoot, { recursive: true });
  await runGit(["worktree", "add", "--quiet", "--no-track", "-B", branch, dir, head], {
    cwd: mirror,
  });
  const meta: WorktreeMeta = {
    version: 1,
    taskId: checkoutId,
    repo: repo.github,
    mirror,
    branch,
    baseBranch: pr.baseRef,
    baseSha,
  };
  await writeWorktreeMeta(dir, meta);
  logger.info(
    { checkoutId, repo: repo.github, pr: pr.number, head, baseSha },
    "git review worktree created",
  );
  return { path: dir, branch, baseSha };
}
