import { execFile } from "node:child_process";
import os from "node:os";
import type { ErrorCode } from "../../../shared/errors.js";
import { AppError } from "../../domain/app-error.js";
import { locateGitDir } from "./git-location.js";
import { SAFE_GIT_CONFIG, SAFE_GIT_ENV, repositoryOverrides } from "./git-safety.js";

/** Options for one git invocation. */
export interface RunGitOptions {
  /** Working directory (a worktree, or a bare mirror). Its git directory is pinned for git. */
  cwd?: string;
  /** Extra environment variables, e.g. a temporary GIT_INDEX_FILE or auth config. */
  env?: Record<string, string>;
  /** Secrets to scrub from any error message built from git's output. */
  secrets?: readonly string[];
  /** The error code thrown when git fails; `git_failed` unless told. */
  errorCode?: ErrorCode;
  /** Exit codes that are answers rather than failures (e.g. 1 for `diff --quiet`). */
  okExitCodes?: readonly number[];
  /** Kills git after this long; a hung fetch must not hang a task forever. */
  timeoutMs?: number;
  /** Written to git's standard input (e.g. object names for `cat-file --batch-check`). */
  input?: string;
  /** Runs at the lowest CPU priority (background work must not slow running tasks). */
  background?: boolean;
}

/** What a git invocation printed and how it exited. */
export interface GitResult<T = string> {
  stdout: T;
  stderr: string;
  exitCode: number;
}

/** Large enough for the diff of a big change; beyond it a task is not reviewable anyway. */
const MAX_BUFFER = 256 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;
/** The lowest CPU (and, with the kernel's default I/O scheduling, disk) priority. */
const BACKGROUND_NICE = 19;

/**
 * The environment git runs with: only what it needs, so no server secret (API keys,
 * tokens) leaks into git or anything it starts; no system or global config; never a prompt.
 */
export function gitEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { ...SAFE_GIT_ENV };
  for (const name of ["PATH", "HOME", "LANG"] as const) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...extra };
}

/** Replaces every secret in a text with `***`. */
export function scrub(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length > 0) out = out.split(secret).join("***");
  }
  return out;
}

/**
 * Runs `git` with arguments (never through a shell) and returns its output. Every server
 * git command goes through here, which makes it safe in a worktree the agent wrote to:
 * GIT_DIR and GIT_WORK_TREE are pinned (see git-location.ts), hooks, fsmonitor, system
 * and global config are off, and the filters and drivers the repository's config names
 * run nothing (git-safety.ts). A non-zero exit not listed in `okExitCodes` throws an
 * AppError carrying git's stderr with secrets scrubbed.
 */
export function runGit(args: readonly string[], options: RunGitOptions = {}): Promise<GitResult> {
  return execGit(args, options, "utf8");
}

/** {@link runGit} returning stdout as bytes (blob contents). */
export async function gitBytes(
  args: readonly string[],
  options: RunGitOptions = {},
): Promise<Buffer> {
  return (await execGit(args, options, "buffer")).stdout;
}

async function execGit<E extends "utf8" | "buffer">(
  args: readonly string[],
  options: RunGitOptions,
  encoding: E,
): Promise<GitResult<E extends "utf8" ? string : Buffer>> {
  const location = options.cwd === undefined ? null : await locateGitDir(options.cwd);
  const pinned: Record<string, string> =
    location === null
      ? {}
      : {
          GIT_DIR: location.gitDir,
          ...(location.workTree === null ? {} : { GIT_WORK_TREE: location.workTree }),
        };
  const overrides = location === null ? [] : await repositoryOverrides(location.gitDir);
  const secrets = options.secrets ?? [];
  type Out = E extends "utf8" ? string : Buffer;
  return new Promise((resolve, reject) => {
    const child = execFile(
      "git",
      [...SAFE_GIT_CONFIG, ...overrides, ...args],
      {
        cwd: options.cwd,
        env: gitEnv({ ...(options.env ?? {}), ...pinned }),
        maxBuffer: MAX_BUFFER,
        timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        encoding,
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        const out = stdout as unknown as Out;
        const err = Buffer.isBuffer(stderr) ? stderr.toString("utf8") : String(stderr);
        if (!error) {
          resolve({ stdout: out, stderr: err, exitCode: 0 });
          return;
        }
        const exitCode = typeof error.code === "number" ? error.code : -1;
        if (options.okExitCodes?.includes(exitCode)) {
          resolve({ stdout: out, stderr: err, exitCode });
          return;
        }
        // Only the subcommand goes into the message: other arguments may be paths or URLs.
        const subcommand = subcommandOf(args);
        const detail = scrub(err.trim() || "no output", secrets).slice(0, 4000);
        const reason = error.killed ? "timed out" : `exited with ${exitCode}`;
        reject(
          new AppError(
            options.errorCode ?? "git_failed",
            `git ${subcommand} ${reason}: ${detail}`,
            {
              details: { subcommand, exitCode },
            },
          ),
        );
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    if (options.background === true && child.pid !== undefined) {
      try {
        os.setPriority(child.pid, BACKGROUND_NICE);
      } catch {
        // The process may have ended already; its priority no longer matters.
      }
    }
  });
}

/** The git subcommand of an argument list, skipping global options such as `-c k=v` and `-C dir`. */
function subcommandOf(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "-c" || arg === "-C" || arg === "--git-dir") i++;
    else if (!arg.startsWith("-")) return arg;
  }
  return "";
}

/** Runs git and returns its trimmed stdout. */
export async function gitOut(
  args: readonly string[],
  options: RunGitOptions = {},
): Promise<string> {
  const result = await runGit(args, options);
  return result.stdout.trim();
}
