import type { RepoConfig } from "../repo-config.js";
import { ensureBaseline } from "../verdict/base-results.js";
import type { EnvironmentDeps } from "./environment-settings.js";
import { prepareEnvironment } from "./prepare-environment.js";

/** The home and temporary directory every warm worktree of a repository is prepared with. */
export const WARM_OWNER = "warm";

/**
 * Prepares a warm worktree in the background, before any task claims it: runs the
 * repository's setup (unless already prepared with the same fingerprint) and the base's
 * tests (unless cached for this commit and environment). A task that claims it then
 * starts the agent at once. The output goes to the server's log, not to a task.
 */
export async function prepareWarmWorktree(
  deps: EnvironmentDeps,
  input: { repo: RepoConfig; dir: string; commit: string; signal: AbortSignal },
): Promise<void> {
  const log = deps.logger.child({ repo: input.repo.github, dir: input.dir });
  const prepared = await prepareEnvironment(deps, {
    repo: input.repo,
    workdir: input.dir,
    baseSha: input.commit,
    owner: WARM_OWNER,
    pristine: true,
    signal: input.signal,
    onLog: (message) => {
      log.debug(message);
      return Promise.resolve();
    },
  });
  await ensureBaseline(deps, {
    repo: input.repo,
    workdir: input.dir,
    baseSha: input.commit,
    fingerprint: prepared.fingerprint,
    dirs: prepared.dirs,
    signal: input.signal,
  });
}
