import type { TestVerdict } from "../../../shared/test-verdict.js";
import { parseUnifiedDiff } from "../publish-guard/unified-diff.js";
import { baselineKey } from "../verdict/base-results.js";
import { judgeTests, notRunVerdict } from "../verdict/judge-tests.js";
import { runTestSuite } from "../verdict/run-test-suite.js";
import { recordEvent } from "./record-event.js";
import type { RunContext } from "./run-context.js";

/**
 * After the agent's last turn, the server runs the repository's tests itself (isolated,
 * network off) and judges the change against the base's cached result. The verdict — not
 * what the agent said — decides whether the pull request opens ready for review; it is
 * recorded as a `task.tests` event and kept on the task as `testsPassed`.
 */
export async function judgeChange(ctx: RunContext): Promise<TestVerdict> {
  const { deps, repo, workspace } = ctx;
  const env = deps.environment;
  let verdict: TestVerdict;
  if (env === undefined || repo.testCommand === null) {
    verdict = notRunVerdict();
  } else {
    await log(ctx, `Running the tests on the server: ${repo.testCommand}`);
    const dirs = await env.environments.dirs(repo.github, ctx.task.id);
    const state = await env.environments.readState(workspace.path);
    // The change's files are read before the run, which may write files of its own.
    const diff = await deps.workspaces.diff(workspace);
    const [base, run] = await Promise.all([
      env.environments.getBaseline(
        repo.github,
        baselineKey(repo, workspace.baseSha, state?.fingerprint ?? null),
      ),
      runTestSuite(env, {
        repo: { ...repo, testCommand: repo.testCommand },
        workdir: workspace.path,
        dirs,
        signal: ctx.signal,
        onOutput: async (text) => {
          await recordEvent(deps, ctx.task.id, {
            type: "task.output",
            payload: { source: "tests", text },
          });
        },
      }),
    ]);
    const changedFiles = parseUnifiedDiff(diff).flatMap((f) =>
      [f.newPath, f.oldPath].filter((p): p is string => p !== null),
    );
    verdict = judgeTests({ command: repo.testCommand, run, base, changedFiles });
  }
  await recordEvent(deps, ctx.task.id, { type: "task.tests", payload: { verdict } });
  ctx.task = await deps.store.update(ctx.task.id, {
    testsPassed: verdict.result === "not_run" ? null : verdict.ready,
  });
  return verdict;
}

/** The server's latest verdict on the task's tests, from its event log. */
export async function latestVerdict(ctx: RunContext): Promise<TestVerdict | null> {
  const events = await ctx.deps.store.listEvents(ctx.task.id);
  for (let i = events.length - 1; i >= 0; i -= 1) {
    const event = events[i];
    if (event?.type === "task.tests") return event.payload.verdict;
  }
  return null;
}

async function log(ctx: RunContext, message: string): Promise<void> {
  await recordEvent(ctx.deps, ctx.task.id, {
    type: "task.log",
    payload: { level: "info", message },
  });
}
