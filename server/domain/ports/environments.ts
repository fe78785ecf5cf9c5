/**
 * The files around a task's prepared environment: the fingerprint's inputs, the record of
 * what a worktree was prepared with, the per-task and per-repository directories the
 * isolated commands may write, the cache of base-branch test results, and the few file
 * operations the server does in a worktree after running a repository's command there.
 */

/** What a worktree's environment was prepared with. */
export interface PreparedState {
  /** The setup command plus the lockfiles' contents (see prepare-environment.ts). */
  fingerprint: string;
  /** The base commit the worktree was at when setup or maintenance last ran. */
  baseSha: string;
}

/** The directories one isolated command may write besides the worktree. */
export interface EnvironmentDirs {
  /** `HOME` of the command: per task (or per warm worktree), never the server's. */
  home: string;
  /** `TMPDIR` of the command. */
  tmp: string;
  /** The repository's package-manager caches, kept across tasks: variable name → directory. */
  caches: Record<string, string>;
  /** The folder holding every cache directory (one mount for all of them). */
  cacheRoot: string;
}

/** One test's result, as the runner's report gave it. */
export interface TestCaseResult {
  name: string;
  status: "passed" | "failed" | "skipped";
  /** The test's file, when the report names it (JUnit `file`, jest/vitest `name`). */
  file: string | null;
}

/** The base branch's test run, cached per base commit and prepared environment. */
export interface TestBaseline {
  exitCode: number | null;
  /** Per-test results, or null when the runner reports none (exit code only). */
  results: TestCaseResult[] | null;
  durationMs: number;
}

/** What a worktree holds beyond its commit: changed tracked files and untracked files. */
export interface WorktreeChanges {
  tracked: string[];
  untracked: string[];
}

/** A worktree's commit and what it holds beyond it, read in one look. */
export interface WorktreeStatus extends WorktreeChanges {
  /** The commit HEAD is at; null on a branch without commits. */
  head: string | null;
}

/** The environment files of tasks and warm worktrees. */
export interface Environments {
  /**
   * A digest of the contents of `files` (repository-relative) in the worktree, or of the
   * common lockfiles found at its root when `files` is null. A missing file counts as such.
   */
  lockfileDigest(workdir: string, files: readonly string[] | null): Promise<string>;
  /** What the worktree was prepared with, or null (never prepared, or setup interrupted). */
  readState(workdir: string): Promise<PreparedState | null>;
  /** Records (or, with null, forgets) what the worktree was prepared with. */
  writeState(workdir: string, state: PreparedState | null): Promise<void>;
  /** Creates and returns the directories for `owner` (a task id or a warm worktree's name). */
  dirs(repo: string, owner: string): Promise<EnvironmentDirs>;
  /** Removes a task's home and temporary directory (the repository's caches stay). */
  removeDirs(repo: string, owner: string): Promise<void>;
  /** Reads a repository-relative file of the worktree (at most `maxBytes`), or null when absent. */
  readFile(workdir: string, file: string, maxBytes: number): Promise<string | null>;
  /** Removes a repository-relative file of the worktree, if present. */
  removeFile(workdir: string, file: string): Promise<void>;
  /**
   * The worktree's commit and its changes together: one walk of the worktree (one git
   * process), which a task's start pays instead of two.
   */
  status(workdir: string): Promise<WorktreeStatus>;
  /** The worktree's changed tracked files and untracked (not ignored) files. */
  changes(workdir: string): Promise<WorktreeChanges>;
  /**
   * Undoes what a command changed beyond `before`: tracked files it changed are restored
   * to the commit, untracked files it made are removed; ignored files (installed
   * dependencies, build caches) stay. Returns the paths it reverted.
   */
  revertNewChanges(workdir: string, before: WorktreeChanges): Promise<string[]>;
  /** The cached base-branch test run under `key`, if any. */
  getBaseline(repo: string, key: string): Promise<TestBaseline | null>;
  putBaseline(repo: string, key: string, baseline: TestBaseline): Promise<void>;
}
