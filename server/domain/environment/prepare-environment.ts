import { createHash } from "node:crypto";
import { AppError } from "../app-error.js";
import type { SandboxResult } from "../ports/command-sandbox.js";
import type { EnvironmentDirs } from "../ports/environments.js";
import type { RepoConfig } from "../repo-config.js";
import type { EnvironmentDeps } from "./environment-settings.js";
import { OutputStream } from "./output-stream.js";
import { runRepoCommand, tailOf } from "./run-repo-command.js";

/** How much of a failed setup's output the task's error quotes. */
const FAILURE_TAIL_CHARS = 3000;

/** A worktree whose environment is to be made ready for the agent. */
export interface PrepareInput {
  repo: RepoConfig;
  workdir: string;
  /** The base commit the worktree is on. */
  baseSha: string;
  /** Whose home and temporary directory the commands get: a task id or a warm worktree's name. */
  owner: string;
  /**
   * Whether the worktree holds nothing but its commit (a new task, a warm worktree): only
   * then does the server undo what setup changed in tracked files (a rewritten lockfile
   * must not land in the pull request). An agent's work in progress is never touched.
   * A promise is awaited only when a command runs: a reused environment need not wait for
   * git's walk of the worktree.
   */
  pristine: boolean | Promise<boolean>;
  signal?: AbortSignal;
  /** Where setup's and maintenance's output goes, a few chunks per second. */
  onOutput?: (source: "setup" | "maintenance", text: string) => Promise<void>;
  /** What the server did, in a sentence (reused, ran setup, reverted files…). */
  onLog?: (message: string) => Promise<void>;
}

/** What preparing did. */
export interface PrepareResult {
  action: "none" | "reused" | "setup" | "maintenance";
  /** The environment's fingerprint; null for a repository without a setup command. */
  fingerprint: string | null;
  dirs: EnvironmentDirs;
  durationMs: number;
}

/**
 * Makes a worktree's environment ready: runs the repository's `setupCommand` (network on,
 * isolated, only the basics and `setupEnv` in its environment) unless the worktree was
 * already prepared with the same fingerprint — the setup command plus its lockfiles'
 * contents. A worktree prepared at another base commit with that fingerprint runs the
 * `maintenanceCommand` instead, when there is one. What setup installs (git-ignored
 * files) stays in the worktree; the fingerprint is recorded only once setup succeeded.
 *
 * @throws AppError `setup_failed` with the output's tail when the command fails or times out.
 */
export async function prepareEnvironment(
  deps: EnvironmentDeps,
  input: PrepareInput,
): Promise<PrepareResult> {
  const started = performance.now();
  const { repo, workdir } = input;
  const setupCommand = repo.setupCommand ?? null;
  // Independent reads, side by side: a warm task's start waits for the slowest, not the sum.
  const [dirs, lockfileDigest, state] = await Promise.all([
    deps.environments.dirs(repo.github, input.owner),
    setupCommand === null
      ? null
      : deps.environments.lockfileDigest(workdir, repo.cacheKeyFiles ?? null),
    setupCommand === null ? null : deps.environments.readState(workdir),
  ]);
  const done = (action: PrepareResult["action"], fingerprint: string | null): PrepareResult => ({
    action,
    fingerprint,
    dirs,
    durationMs: Math.round(performance.now() - started),
  });
  if (setupCommand === null || lockfileDigest === null) return done("none", null);

  const fingerprint = environmentFingerprint(setupCommand, lockfileDigest);
  if (state?.fingerprint === fingerprint && state.baseSha === input.baseSha) {
    await input.onLog?.("Environment already prepared: setup skipped (same lockfiles)");
    return done("reused", fingerprint);
  }
  const maintenance = repo.maintenanceCommand ?? null;
  const kind = state?.fingerprint === fingerprint && maintenance !== null ? "maintenance" : "setup";
  if (state?.fingerprint === fingerprint && maintenance === null) {
    await deps.environments.writeState(workdir, { fingerprint, baseSha: input.baseSha });
    await input.onLog?.("Environment already prepared: setup skipped (same lockfiles)");
    return done("reused", fingerprint);
  }
  const command = kind === "setup" ? setupCommand : (maintenance ?? setupCommand);
  // Forgotten first: an interrupted setup must not pass for a finished one.
  await deps.environments.writeState(workdir, null);
  const before = (await input.pristine) ? await deps.environments.changes(workdir) : null;
  await input.onLog?.(`Running ${kind}: ${command}`);
  const stream = new OutputStream((text) => input.onOutput?.(kind, text) ?? Promise.resolve());
  let result: SandboxResult;
  try {
    result = await runRepoCommand(deps, {
      kind,
      repo,
      command,
      workdir,
      dirs,
      ...(input.signal ? { signal: input.signal } : {}),
      onOutput: (chunk) => stream.write(chunk),
    });
  } finally {
    await stream.close();
  }
  if (result.aborted && input.signal?.aborted) throw input.signal.reason;
  if (result.timedOut || result.exitCode !== 0) {
    throw new AppError("setup_failed", setupFailureMessage(kind, command, result, deps), {
      details: { exitCode: result.exitCode, timedOut: result.timedOut },
    });
  }
  if (before !== null) {
    const reverted = await deps.environments.revertNewChanges(workdir, before);
    if (reverted.length > 0) {
      await input.onLog?.(
        `Undid what ${kind} changed in the repository's files (kept out of the pull request): ${reverted.slice(0, 10).join(", ")}${reverted.length > 10 ? ", …" : ""}`,
      );
    }
  }
  await deps.environments.writeState(workdir, { fingerprint, baseSha: input.baseSha });
  await input.onLog?.(
    `${kind === "setup" ? "Setup" : "Maintenance"} done in ${seconds(result.durationMs)}`,
  );
  return done(kind, fingerprint);
}

/** The fingerprint of a prepared environment: its setup command and its lockfiles. */
export function environmentFingerprint(setupCommand: string, lockfileDigest: string): string {
  return createHash("sha256")
    .update(`${setupCommand}\0${lockfileDigest}`)
    .digest("hex")
    .slice(0, 32);
}

function setupFailureMessage(
  kind: "setup" | "maintenance",
  command: string,
  result: SandboxResult,
  deps: EnvironmentDeps,
): string {
  const how = result.timedOut
    ? `did not finish within ${seconds(deps.settings.setupTimeoutMs)} (SETUP_TIMEOUT_MS)`
    : result.exitCode === null
      ? "was killed"
      : `exited with code ${result.exitCode}`;
  const tail = tailOf(result.outputTail.trimEnd(), FAILURE_TAIL_CHARS);
  return [
    `The repository's ${kind} command \`${command}\` ${how} after ${seconds(result.durationMs)}.`,
    tail ? `Last output:\n${tail}` : "It printed nothing.",
  ].join("\n");
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
