import type { RepoConfig } from "../repo-config.js";

/** A task's working copy: a git worktree on the task's branch. */
export interface Workspace {
  /** Absolute path of the worktree. */
  path: string;
  branch: string;
  /** The commit of the base branch the branch started from. */
  baseSha: string;
}

/** Who the server commits as. */
export interface CommitAuthor {
  name: string;
  email: string;
}

/**
 * Git working copies for tasks: a cached mirror per repository, a worktree per task.
 * Errors are thrown as AppError with `git_failed` or `github_push_failed`.
 */
export interface Workspaces {
  /**
   * Fetches the repository's mirror (cloning it the first time) and makes a worktree
   * on a new branch from the base branch. Reuses the task's worktree if it exists.
   */
  prepare(repo: RepoConfig, taskId: string, branch: string): Promise<Workspace>;
  /** The worktree of a task, if it still exists. */
  find(taskId: string): Promise<Workspace | null>;
  /** The unified diff of the worktree (committed and uncommitted, new files too) against its base. */
  diff(workspace: Workspace): Promise<string>;
  /** Stages everything and commits; returns the new commit, or null when nothing changed. */
  commitAll(workspace: Workspace, message: string, author: CommitAuthor): Promise<string | null>;
  /** Pushes the task's branch (and only it) to the repository's remote. */
  push(repo: RepoConfig, workspace: Workspace): Promise<void>;
  /** Removes a task's worktree. */
  remove(taskId: string): Promise<void>;
}
