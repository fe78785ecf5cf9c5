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

/** How the base branch moved since a worktree was last brought up to date with it. */
export interface BaseUpdate {
  /** The base commit the worktree's change was on before. */
  previousBase: string;
  /** The base branch's tip now merged in. */
  base: string;
  /** The base branch's new commits, newest first (capped). */
  commits: { sha: string; subject: string }[];
  /** How many new commits there are in all. */
  commitCount: number;
  /** Files the new commits changed, repository-relative (capped). */
  files: string[];
  /** Files the merge left with conflict markers for the agent to resolve. */
  conflicts: string[];
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
  /**
   * The ids of the finished worktrees on disk (tasks', and the nightly review's
   * checkouts). What to clean up is found here, not by reading the whole task history.
   */
  listIds(): Promise<string[]>;
  /** The unified diff of the worktree (committed and uncommitted, new files too) against its base. */
  diff(workspace: Workspace): Promise<string>;
  /**
   * Stages everything in the worktree and returns the staged change against the base as
   * a unified diff: exactly what `commitStaged` will publish (the publish guard reads it).
   */
  stage(workspace: Workspace): Promise<string>;
  /**
   * Commits what `stage` staged; returns the branch's head, or null when the branch does
   * not differ from its base.
   */
  commitStaged(workspace: Workspace, message: string, author: CommitAuthor): Promise<string | null>;
  /** Pushes the task's branch (and only it) to the repository's remote. */
  push(repo: RepoConfig, workspace: Workspace): Promise<void>;
  /**
   * Brings a worktree up to date with its moved base branch: fetches, saves uncommitted
   * work in a commit, and merges the base's tip into the task branch (a conflict is left
   * in the files for the agent to resolve). Returns the workspace to use from now on (its
   * base moves with the merge) and what changed, or `update: null` when the base has not
   * moved.
   */
  updateFromBase(
    repo: RepoConfig,
    workspace: Workspace,
    author: CommitAuthor,
  ): Promise<{ workspace: Workspace; update: BaseUpdate | null }>;
  /** Removes a task's worktree. */
  remove(taskId: string): Promise<void>;
}
