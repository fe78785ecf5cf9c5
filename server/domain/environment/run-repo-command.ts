import type { SandboxResult } from "../ports/command-sandbox.js";
import type { EnvironmentDirs } from "../ports/environments.js";
import type { RepoConfig } from "../repo-config.js";
import type { EnvironmentDeps } from "./environment-settings.js";

/** Which of the repository's commands runs: setup and maintenance get network and `setupEnv`. */
export type RepoCommandKind = "setup" | "maintenance" | "tests";

/** One run of a repository command in a worktree. */
export interface RepoCommandRun {
  kind: RepoCommandKind;
  repo: RepoConfig;
  command: string;
  workdir: string;
  dirs: EnvironmentDirs;
  signal?: AbortSignal;
  onOutput?: (chunk: string, stream: "stdout" | "stderr") => void;
}

/**
 * The whole environment of a repository command: the basics a toolchain needs, `HOME`
 * and `TMPDIR` of the task, the repository's package-manager caches and, for setup and
 * maintenance only, the variables the repository's `setupEnv` names. Nothing else of the
 * server's environment (API keys, tokens, `DATA_DIR`) is passed on.
 */
export function repoCommandEnv(
  deps: Pick<EnvironmentDeps, "settings">,
  run: Pick<RepoCommandRun, "kind" | "repo" | "dirs">,
): Record<string, string> {
  const env: Record<string, string> = {
    PATH: deps.settings.path,
    HOME: run.dirs.home,
    TMPDIR: run.dirs.tmp,
    LANG: "C.UTF-8",
    LC_ALL: "C.UTF-8",
    // Package managers and test runners stay non-interactive and uncoloured.
    CI: "true",
    NO_COLOR: "1",
    ...run.dirs.caches,
  };
  if (run.kind !== "tests") {
    for (const name of run.repo.setupEnv ?? []) {
      const value = deps.settings.setupEnv[name];
      if (value !== undefined) env[name] = value;
    }
  }
  return env;
}

/** Runs a repository command through the sandbox: network for setup and maintenance only. */
export function runRepoCommand(deps: EnvironmentDeps, run: RepoCommandRun): Promise<SandboxResult> {
  const tests = run.kind === "tests";
  return deps.sandbox.run({
    command: run.command,
    cwd: run.workdir,
    env: repoCommandEnv(deps, run),
    network: !tests,
    mounts: {
      workdir: run.workdir,
      writable: [run.dirs.home, run.dirs.tmp, run.dirs.cacheRoot],
      readOnly: [],
    },
    timeoutMs: tests ? deps.settings.testTimeoutMs : deps.settings.setupTimeoutMs,
    ...(run.signal ? { signal: run.signal } : {}),
    ...(run.onOutput ? { onOutput: run.onOutput } : {}),
  });
}

/** The last `chars` characters of a command's output, from a line start where possible. */
export function tailOf(output: string, chars: number): string {
  if (output.length <= chars) return output;
  const tail = output.slice(-chars);
  const newline = tail.indexOf("\n");
  return newline >= 0 && newline < chars / 4 ? tail.slice(newline + 1) : tail;
}
