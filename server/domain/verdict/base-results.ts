import { createHash } from "node:crypto";
import type { EnvironmentDeps } from "../environment/environment-settings.js";
import type { EnvironmentDirs, TestBaseline } from "../ports/environments.js";
import type { RepoConfig } from "../repo-config.js";
import { runTestSuite } from "./run-test-suite.js";

/**
 * The key of a base-branch test run: the base commit, the prepared environment's
 * fingerprint, the test command and how its report is read. Any of them changing means
 * the base's result may differ.
 */
export function baselineKey(repo: RepoConfig, baseSha: string, fingerprint: string | null): string {
  return createHash("sha256")
    .update(
      JSON.stringify([baseSha, fingerprint ?? "", repo.testCommand ?? "", repo.testReport ?? null]),
    )
    .digest("hex")
    .slice(0, 32);
}

/**
 * The base branch's test result for this base commit and environment: from the cache, or
 * run now in `workdir` — which must hold exactly the base commit (a new task's worktree
 * before the agent starts, or a warm worktree being prepared) — and cached. Null for a
 * repository without a test command.
 */
export async function ensureBaseline(
  deps: EnvironmentDeps,
  input: {
    repo: RepoConfig;
    workdir: string;
    baseSha: string;
    fingerprint: string | null;
    dirs: EnvironmentDirs;
    signal?: AbortSignal;
    onOutput?: (text: string) => Promise<void>;
  },
): Promise<{ baseline: TestBaseline; cached: boolean } | null> {
  const { repo } = input;
  if (repo.testCommand === null) return null;
  const key = baselineKey(repo, input.baseSha, input.fingerprint);
  const cached = await deps.environments.getBaseline(repo.github, key);
  if (cached !== null) return { baseline: cached, cached: true };
  const run = await runTestSuite(deps, {
    repo: { ...repo, testCommand: repo.testCommand },
    workdir: input.workdir,
    dirs: input.dirs,
    ...(input.signal ? { signal: input.signal } : {}),
    ...(input.onOutput ? { onOutput: input.onOutput } : {}),
  });
  const baseline: TestBaseline = {
    exitCode: run.timedOut ? null : run.exitCode,
    results: run.results,
    durationMs: run.durationMs,
  };
  // A run that timed out says nothing about the base: not cached, so the next task tries again.
  if (!run.timedOut) await deps.environments.putBaseline(repo.github, key, baseline);
  return { baseline, cached: false };
}
