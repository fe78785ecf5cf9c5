import type { RepoConfig } from "../repo-config.js";

/** A task's working copy: a git worktree on the task's branch. */
export interface Workspace {
  /** Absolute path of the worktree. */
  path: string;
  branch: string;
  /** The commit of the base branch the branch started from. */
  baseSha: string;
}

/** How one path changed between the base and the staged index (git's own status letters). */
export type ChangeStatus = "added" | "modified" | "deleted" | "type_changed";

/**
 * One path of a staged change, as git names it (read NUL-separated, so never quoted or
 * escaped). Modes are git's octal strings: `100644`/`100755` a file, `120000` a symbolic
 * link, `160000` a gitlink (submodule); null when that side does not exist.
 */
export interface ChangedFile {
  path: string;
  status: ChangeStatus;
  oldMode: string | null;
  newMode: string | null;
  /** Whether git's diff shows the file as binary (its bytes, or a `-diff` attribute). */
  binary: boolean;
  /** Size of the new blob in bytes (0 when deleted). */
  size: number;
  /**
   * The new blob's bytes when the guard needs more than the text diff: binary files,
   * symbolic links and JSON files whose keys may be protected. Null when not read (a
   * text file, or one too large to read, which the size limit refuses anyway).
   */
  content: Buffer | null;
  /** The old blob's bytes, read for the same JSON files; null otherwise. */
  oldContent: Buffer | null;
}

/** What a publish would push: the staged change against the base. */
export interface StagedChange {
  /** The unified diff (`git diff --cached`), for the text scan and the size limit. */
  diff: string;
  /** Every changed path with its modes and, where needed, its bytes. */
  files: ChangedFile[];
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

/** How {@link Workspaces.prepare} may schedule its background work. */
export interface PrepareOptions {
  /**
   * When the background work this prepare causes may start: the replacement of the
   * ready-made worktree it takes (a checkout and the repository's setup: minutes of CPU)
   * and the mirror's housekeeping. Unset: at once. A task passes its agent's start, so
   * that work does not compete with it for the machine's cores. Must never reject.
   */
  refillAfter?: Promise<void>;
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
  prepare(
    repo: RepoConfig,
    taskId: string,
    branch: string,
    options?: PrepareOptions,
  ): Promise<Workspace>;
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
   * Stages everything in the worktree and returns the staged change against the base:
   * exactly what `commitStaged` will publish (the publish guard reads it).
   */
  stage(workspace: Workspace): Promise<StagedChange>;
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
  /**
   * Everything in the worktree (commits, staged and unstaged edits, new and deleted files,
   * minus ignored ones) against its base, as a binary git patch; the worktree's own index
   * is left alone.
   */
  checkpoint(workspace: Workspace): Promise<Uint8Array>;
  /**
   * Makes the task's worktree on `branch` from a checkpoint taken on another machine: its
   * base is `saved.baseSha`, its files are that base with `saved.changes` applied (left
   * uncommitted, as the agent left them). The branch starts where the remote's copy of it
   * is, when another worker pushed it already, so the next publish builds on that push.
   * Reuses the task's worktree if it exists.
   */
  restore(
    repo: RepoConfig,
    taskId: string,
    branch: string,
    saved: { baseSha: string; changes: Uint8Array },
  ): Promise<Workspace>;
}
