/** Git working copies for tasks, on the real `git` CLI. */
export {
  createGitWorkspaces,
  type GitWorkspacesOptions,
  type WorkspaceUpkeep,
} from "./git-workspaces.js";
export { DEFAULT_WARM_WORKTREES } from "./warm-pool.js";
export { BRANCH_PREFIX } from "../../domain/tasks/branch-name.js";
export { createEnvironmentFiles } from "./environment-files.js";
export { createEnvironmentHomeDirs } from "./environment-home-dirs.js";
