import type { Logger } from "pino";
import type { RepoConfig } from "../../domain/repo-config.js";
import type { Workspace } from "../../domain/ports/workspaces.js";
import { AppError } from "../../domain/app-error.js";
import { BRANCH_PREFIX } from "../../domain/tasks/branch-name.js";
import { remoteAccess } from "./remote.js";
import { recordPublished } from "./published-ref.js";
import { gitOut, runGit } from "./run-git.js";

/**
 * Pushes the workspace's branch, and only it, to the repository's fork (`pushUrl`) when
 * one is configured, never to the upstream then; otherwise to its clone URL. The
 * explicit `refs/heads/b:refs/heads/b` refspec means nothing else (tags, other
 * branches, a default branch) can ever be pushed, and branches outside `codex/`
 * are refused outright so the server can never overwrite a person's branch.
 * Non-fast-forward pushes are rejected by the remote, not forced. The commit is recorded
 * as the branch's published commit, which the next commit builds on, before it is pushed:
 * a process killed after the remote took the push but before it heard so must not leave
 * the next publish building beside that commit, which the remote would then reject as
 * non-fast-forward. Recorded and never pushed is harmless: the next push carries it too.
 */
export async function pushBranch(
  repo: RepoConfig,
  workspace: Workspace,
  token: string | null | undefined,
  logger: Logger,
): Promise<void> {
  const { branch } = workspace;
  if (!branch.startsWith(BRANCH_PREFIX) || branch.length === BRANCH_PREFIX.length) {
    throw new AppError(
      "publish_refused",
      `Refusing to push branch ${branch}: the server only pushes branches under ${BRANCH_PREFIX}.`,
    );
  }
  // The fork is reached exactly like the upstream: same token, same auth header.
  const access = remoteAccess(repo.pushUrl ?? repo.cloneUrl, token);
  const ref = `refs/heads/${branch}`;
  const started = Date.now();
  // The commit is resolved once, recorded as published and pushed by name: whatever
  // moves the branch meanwhile is neither pushed nor taken for published.
  const sha = await gitOut(["rev-parse", "--verify", `${ref}^{commit}`], { cwd: workspace.path });
  await recordPublished(workspace.path, branch, sha);
  await runGit(
    ["-c", "core.hooksPath=/dev/null", "push", "--no-verify", access.url, `${sha}:${ref}`],
    {
      cwd: workspace.path,
      env: access.env,
      secrets: access.secrets,
      errorCode: "github_push_failed",
    },
  );
  logger.info(
    { repo: repo.pushRepository ?? repo.github, branch, sha, ms: Date.now() - started },
    "git branch pushed",
  );
}
