import type { Logger } from "pino";
import type { RepoConfig } from "../../domain/repo-config.js";
import type { Workspace } from "../../domain/ports/workspaces.js";
import { AppError } from "../../domain/app-error.js";
import { BRANCH_PREFIX } from "../../domain/tasks/branch-name.js";
import { remoteAccess } from "./remote.js";
import { runGit } from "./run-git.js";

/**
 * Pushes the workspace's branch, and only it, to the repository's clone URL. The
 * explicit `refs/heads/b:refs/heads/b` refspec means nothing else (tags, other
 * branches, a default branch) can ever be pushed, and branches outside `codex/`
 * are refused outright so the server can never overwrite a person's branch.
 * Non-fast-forward pushes are rejected by the remote, not forced.
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
  const access = remoteAccess(repo.cloneUrl, token);
  const ref = `refs/heads/${branch}`;
  const started = Date.now();
  await runGit(
    ["-c", "core.hooksPath=/dev/null", "push", "--no-verify", access.url, `${ref}:${ref}`],
    {
      cwd: workspace.path,
      env: access.env,
      secrets: access.secrets,
      errorCode: "github_push_failed",
    },
  );
  logger.info({ repo: repo.github, branch, ms: Date.now() - started }, "git branch pushed");
}
