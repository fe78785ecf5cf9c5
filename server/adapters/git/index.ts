/** Git working copies for tasks, on the real `git` CLI. */
export { createGitWorkspaces, type GitWorkspacesOptions } from "./git-workspaces.js";
export { BRANCH_PREFIX } from "../../domain/tasks/branch-name.js";
