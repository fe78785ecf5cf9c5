import { execFile } from "node:child_process";
import type { ErrorCode } from "../../../shared/errors.js";
import { AppError } from "../../domain/app-error.js";

/** Options for one git invocation. */
export interface RunGitOptions {
  /** Working directory (a worktree, or the parent of a mirror). */
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
}

/** What a git invocation printed and how it exited. */
export interface GitResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Large enough for the diff of a big change; beyond it a task is not reviewable anyway. */
const MAX_BUFFER = 256 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * The environment git runs with: only what it needs, so no server secret (API keys,
 * tokens) leaks into git, its hooks or credential helpers, and it never prompts.
 */
export function gitEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { GIT_TERMINAL_PROMPT: "0" };
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
 * Runs `git` with arguments (never through a shell) and returns its output. A
 * non-zero exit not listed in `okExitCodes` throws an AppError carrying git's
 * stderr with secrets scrubbed.
 */
export function runGit(args: readonly string[], options: RunGitOptions = {}): Promise<GitResult> {
  const secrets = options.secrets ?? [];
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      [...args],
      {
        cwd: options.cwd,
        env: gitEnv(options.env),
        maxBuffer: MAX_BUFFER,
        timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        encoding: "utf8",
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        if (!error) {
          resolve({ stdout, stderr, exitCode: 0 });
          return;
        }
        const exitCode = typeof error.code === "number" ? error.code : -1;
        if (options.okExitCodes?.includes(exitCode)) {
          resolve({ stdout, stderr, exitCode });
          return;
        }
        // Only the subcommand goes into the message: other arguments may be paths or URLs.
        const subcommand = subcommandOf(args);
        const detail = scrub(stderr.trim() || "no output", secrets).slice(0, 4000);
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
  });
}

/** The git subcommand of an argument list, skipping global options such as `-c k=v` and `-C dir`. */
function subcommandOf(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "-c" || arg === "-C") i++;
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
