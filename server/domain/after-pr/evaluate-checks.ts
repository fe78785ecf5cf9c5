import type { Task } from "../../../shared/task.js";
import { toAppError } from "../app-error.js";
import type { CheckReport } from "../ports/code-host.js";
import type { TrackedPullRequest } from "../ports/pull-request-store.js";
import { recordEvent } from "../tasks/record-event.js";
import type { AfterPrDeps } from "./after-pr-deps.js";
import { failureReport } from "./failure-report.js";
import { noteOnPullRequest, stopAutomation } from "./note-on-pull-request.js";
import { startRound } from "./start-round.js";

/** What the checks on a head led to, for the webhook's answer and the logs. */
export type ChecksVerdict =
  | "not_open"
  | "stale_head"
  | "person_pushed"
  | "pending"
  | "no_checks"
  | "green"
  | "marked_ready"
  | "automation_stopped"
  | "round_limit"
  | "round_started"
  | "round_duplicate"
  | "task_busy";

/**
 * Checks completed on a commit of a Patchboard pull request (a check run, a check suite,
 * a commit status, or the poller). Once nothing is pending on the head Patchboard
 * pushed: a failure starts an automatic follow-up round with what failed (up to
 * `ciFixMaxRounds`, then it stops and says so); all green marks a draft ready when the
 * agent's own test run passed too. A head Patchboard did not push means a person did:
 * automatic rounds stop.
 */
export async function evaluateChecks(
  deps: AfterPrDeps,
  tracked: TrackedPullRequest,
  sha: string,
): Promise<ChecksVerdict> {
  if (tracked.state !== "open") return "not_open";
  const task = await deps.store.get(tracked.taskId);
  if (task === null) return "not_open";
  if (sha !== tracked.headSha) {
    const facts = await deps.codeHost.getPullRequestFacts(task.repo, tracked.number);
    if (facts.headSha !== sha || task.status === "running" || task.status === "queued") {
      return "stale_head";
    }
    await stopAutomation(
      deps,
      task,
      tracked,
      `Someone else pushed ${sha.slice(0, 12)} to ${tracked.branch}: Patchboard stops its automatic CI rounds on this pull request.`,
    );
    return "person_pushed";
  }
  const report = await deps.codeHost.getCheckReport(task.repo, sha);
  if (report.pending.length > 0) return "pending";
  if (report.failed.length === 0 && report.passed.length === 0) return "no_checks";
  if (tracked.firstCiGreen === null) {
    await deps.pullRequests.update(task.id, { firstCiGreen: report.failed.length === 0 });
  }
  if (report.failed.length === 0) return whenGreen(deps, task, report);
  return whenFailed(deps, task, tracked, report);
}

async function whenFailed(
  deps: AfterPrDeps,
  task: Task,
  tracked: TrackedPullRequest,
  report: CheckReport,
): Promise<ChecksVerdict> {
  if (tracked.automationStopped !== null) return "automation_stopped";
  // The same head reported again (a check run, then its suite): its round was started.
  const key = `ci:${report.sha}`;
  if ((await deps.pullRequests.rounds(task.id)).some((round) => round.key === key)) {
    return "round_duplicate";
  }
  if (task.status === "queued" || task.status === "running") return "task_busy";
  const max = deps.afterPr.ciFixMaxRounds;
  if (tracked.ciRounds >= max) {
    await stopAutomation(
      deps,
      task,
      tracked,
      `The checks still fail (${names(report)}) after ${max} automatic ${max === 1 ? "round" : "rounds"}: Patchboard leaves this pull request to people.`,
    );
    return "round_limit";
  }
  const outcome = await startRound(deps, task, {
    trigger: "ci",
    actor: names(report),
    headSha: report.sha,
    key,
    message: failureReport(report),
    by: `CI (${names(report)})`,
    source: "ci",
  });
  return outcome === "started"
    ? "round_started"
    : outcome === "busy"
      ? "task_busy"
      : "round_duplicate";
}

/** All checks passed: a draft whose tests passed for the agent too is ready for review. */
async function whenGreen(
  deps: AfterPrDeps,
  task: Task,
  report: CheckReport,
): Promise<ChecksVerdict> {
  const pr = task.pullRequest;
  if (pr === null || !pr.draft || task.testsPassed !== true || task.status !== "completed") {
    return "green";
  }
  const tracked = await deps.pullRequests.forTask(task.id);
  try {
    const ready = await deps.codeHost.markReadyForReview(task.repo, pr.number);
    if (ready.draft) return "green";
    const pullRequest = { ...pr, draft: false };
    await deps.store.update(task.id, { pullRequest });
    await deps.pullRequests.update(task.id, { draft: false });
    await recordEvent(deps, task.id, {
      type: "task.pull_request",
      payload: { pullRequest, created: false },
    });
    if (tracked !== null) {
      await noteOnPullRequest(
        deps,
        task,
        tracked,
        `The checks passed on ${report.sha.slice(0, 12)} (${report.passed.join(", ")}): marked ready for review.`,
      );
    }
    return "marked_ready";
  } catch (error) {
    const reason = toAppError(error, "github_unavailable", "GitHub did not answer").message;
    await recordEvent(deps, task.id, {
      type: "task.log",
      payload: { level: "warn", message: `Pull request #${pr.number} stays a draft: ${reason}` },
    });
    return "green";
  }
}

function names(report: CheckReport): string {
  return report.failed.map((check) => check.name).join(", ");
}
