import type { EnvironmentDeps } from "../environment/environment-settings.js";
import { OutputStream } from "../environment/output-stream.js";
import { runRepoCommand } from "../environment/run-repo-command.js";
import type { EnvironmentDirs, TestCaseResult } from "../ports/environments.js";
import type { RepoConfig, TestReportConfig } from "../repo-config.js";
import type { SuiteRun } from "./judge-tests.js";
import { parseJsonReport } from "./json-report.js";
import { parseJunit } from "./junit-report.js";
import { parseTap } from "./tap-report.js";

/** A report (or the standard output read as one) is read up to this size. */
const MAX_REPORT_BYTES = 16 * 1024 * 1024;

/**
 * Runs the repository's `testCommand` in the worktree through the sandbox (network off,
 * no `setupEnv`, `TEST_TIMEOUT_MS`) and reads per-test results from its report when the
 * repository configured one. The report file is removed before and after, and files the
 * run made in the worktree (coverage output that is not git-ignored…) are removed after,
 * so none of it reaches a pull request.
 */
export async function runTestSuite(
  deps: EnvironmentDeps,
  input: {
    repo: RepoConfig & { testCommand: string };
    workdir: string;
    dirs: EnvironmentDirs;
    signal?: AbortSignal;
    onOutput?: (text: string) => Promise<void>;
  },
): Promise<SuiteRun> {
  const { repo, workdir } = input;
  const report = repo.testReport ?? null;
  if (report?.path) await deps.environments.removeFile(workdir, report.path);
  const before = await deps.environments.changes(workdir);
  const stream = new OutputStream((text) => input.onOutput?.(text) ?? Promise.resolve());
  let stdout = "";
  let result;
  try {
    result = await runRepoCommand(deps, {
      kind: "tests",
      repo,
      command: repo.testCommand,
      workdir,
      dirs: input.dirs,
      ...(input.signal ? { signal: input.signal } : {}),
      onOutput: (chunk, from) => {
        stream.write(chunk);
        // A report on standard output is parsed from it alone: warnings go to stderr.
        if (from === "stdout" && stdout.length < MAX_REPORT_BYTES) stdout += chunk;
      },
    });
  } finally {
    await stream.close();
  }
  if (result.aborted && input.signal?.aborted) throw input.signal.reason;
  let results: TestCaseResult[] | null = null;
  if (report !== null) {
    const text = report.path
      ? await deps.environments.readFile(workdir, report.path, MAX_REPORT_BYTES)
      : stdout;
    results = text === null ? null : parseReport(report, text);
    if (report.path) await deps.environments.removeFile(workdir, report.path);
  }
  await deps.environments.revertNewChanges(workdir, before);
  return {
    exitCode: result.exitCode,
    timedOut: result.timedOut,
    results,
    durationMs: result.durationMs,
    outputTail: result.outputTail,
  };
}

/** Per-test results from a report in the configured format; null when it holds none. */
export function parseReport(report: TestReportConfig, text: string): TestCaseResult[] | null {
  if (report.format === "junit") return parseJunit(text);
  if (report.format === "tap") return parseTap(text);
  return parseJsonReport(text);
}
