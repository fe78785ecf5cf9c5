/**
 * Runs a repository's own commands (setup, maintenance, the server's test run) in the same
 * isolation as the agent: the task's worktree read-write, a few named directories
 * read-write, the system's toolchain read-only, and nothing else of the host (no
 * `DATA_DIR`, no server working directory, no server `$HOME`, no other processes).
 *
 * Two adapters implement it: bubblewrap (a mount namespace per command) and "none" (a
 * plain child process, for hosts where `AGENT_ISOLATION=off` was chosen explicitly).
 */

/** What an isolated command may see besides the system's toolchain (read-only). */
export interface SandboxMounts {
  /** The task's worktree, read-write; also the command's working directory unless `cwd` says otherwise. */
  workdir: string;
  /** Further read-write directories: the task's home and temporary directory, the repository's caches. */
  writable: string[];
  /** Further read-only directories. */
  readOnly: string[];
}

/** One command to run isolated. */
export interface SandboxCommand {
  /** A shell command line, run by `/bin/sh -c`. */
  command: string;
  /** Working directory; must be inside `mounts.workdir`. */
  cwd: string;
  /** The command's whole environment: nothing of the server's is inherited. */
  env: Record<string, string>;
  /** Whether the command may reach the network (setup: yes; tests: no). */
  network: boolean;
  mounts: SandboxMounts;
  /** The command and everything it started are killed after this long. */
  timeoutMs: number;
  /** Aborts the command (cancel); the process group is killed. */
  signal?: AbortSignal;
  /** Output as it arrives, for live task events. */
  onOutput?: (chunk: string, stream: "stdout" | "stderr") => void;
}

/** How a command ended. */
export interface SandboxResult {
  /** The exit code, or null when it was killed by a signal. */
  exitCode: number | null;
  timedOut: boolean;
  /** Whether `signal` aborted it. */
  aborted: boolean;
  /** The last part of stdout and stderr interleaved as they came (at most 64 KiB). */
  outputTail: string;
  durationMs: number;
}

/** The isolation every repository command runs in. */
export interface CommandSandbox {
  /** Which isolation this is: shown on the admin's service checks. */
  readonly kind: "bubblewrap" | "none";
  run(command: SandboxCommand): Promise<SandboxResult>;
}
