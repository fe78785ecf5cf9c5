/** How the server reads per-test results from a repository's test run. */
export interface TestReportConfig {
  /**
   * The runner's report format: JUnit XML (most languages' runners), TAP (tape, node:test,
   * prove…) or a JSON reporter (vitest `--reporter=json`, jest `--json`, mocha `--reporter json`).
   */
  format: "junit" | "tap" | "json";
  /**
   * Where the runner writes the report, relative to the repository's root; the command's
   * standard output when absent. The server deletes it before and after each run, so it
   * never lands in a pull request.
   */
  path: string | null;
}

/**
 * One entry of the repositories file: which repository a Jira project's bugs live in.
 */
export interface RepoConfig {
  /** The Jira project key, e.g. `CALC`. */
  jiraProject: string;
  /** The GitHub repository, `owner/name`. */
  github: string;
  /** The branch fixes are based on and pull requests target. */
  baseBranch: string;
  /** Where to clone from: an https URL, a `file://` URL or a local path. */
  cloneUrl: string;
  /**
   * The fork `owner/name` the agent's `codex/*` branches are pushed to, pull requests
   * being opened on `github` from `owner:branch`; absent: pushed to `github` itself.
   */
  pushRepository?: string;
  /** Where branches are pushed when `pushRepository` is set (resolved like `cloneUrl`). */
  pushUrl?: string;
  /** The command that runs the repository's tests, if any. */
  testCommand: string | null;
  /** GitHub logins asked to review each pull request. */
  reviewers: string[];
  /** Installs the repository's dependencies before the agent starts (network on), if any. */
  setupCommand?: string | null;
  /** Runs instead of setup when a prepared worktree is reused after the base branch moved. */
  maintenanceCommand?: string | null;
  /** Names of server environment variables setup (and maintenance) alone may see. */
  setupEnv?: string[];
  /**
   * Repository-relative files whose contents decide when setup must run again; the
   * common lockfiles when absent.
   */
  cacheKeyFiles?: string[] | null;
  /** Given to the agent on every turn, after the repository's own AGENTS.md. */
  instructions?: string | null;
  /** How per-test results are read from the test run; by exit code alone when absent. */
  testReport?: TestReportConfig | null;
  /**
   * This repository's changes to the publish guard's protected paths: entries widen the
   * server's list, `!entry` removes that exact entry (see publish-guard/protected-paths.ts).
   */
  protectedPaths?: string[];
  /**
   * How many of this repository's tasks run at once across every worker (its test
   * databases, its CI minutes, its rate limits); no limit when absent.
   */
  maxConcurrentTasks?: number;
}
