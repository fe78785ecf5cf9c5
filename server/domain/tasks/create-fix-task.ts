import type { Task } from "../../../shared/task.js";
import type { User } from "../../../shared/user.js";
import type { RequestSource } from "../../../shared/task-event.js";
import { AppError } from "../app-error.js";
import type { RunGate } from "../ports/run-gate.js";
import { assertBudgetLeft } from "../budgets/assert-budget-left.js";
import type { TaskQueue } from "../ports/task-queue.js";
import type { TrackerIssueDetail } from "../ports/issue-tracker.js";
import type { RepoConfig } from "../repo-config.js";
import type { TaskDeps } from "../task-deps.js";
import { fixBranchName, uniqueBranch } from "./branch-name.js";
import { recordEvent } from "./record-event.js";
import { recordRequest } from "./record-request.js";
import { snapshotTicket } from "./ticket-snapshot.js";

/** Input of {@link createFixTask}. */
export interface CreateFixTaskInput {
  ticketKey: string;
  instructions?: string | undefined;
  user: User;
  /** What started it, when not a person's click (a Jira label). */
  source?: RequestSource | undefined;
}

/**
 * "Fix this bug": snapshots the ticket into a new queued fix task and schedules it.
 * Clicking twice is safe: while the ticket has a queued or running task, that task is
 * returned with `created: false` (the store enforces it, so concurrent clicks agree).
 * Only a task that is really created spends a run from the person's budget: clicks on
 * one ticket are decided one at a time, so the second click finds the first's task.
 */
export async function createFixTask(
  deps: Pick<TaskDeps, "store" | "hub" | "tracker" | "repos" | "budgets"> & {
    queue: TaskQueue;
    gate: RunGate;
  },
  input: CreateFixTaskInput,
): Promise<{ task: Task; created: boolean }> {
  const repo = deps.repos.forTicket(input.ticketKey);
  if (repo === undefined) {
    throw new AppError(
      "repo_not_configured",
      `No repository is configured for ${input.ticketKey}'s project; add it to the repositories file`,
    );
  }
  return deps.gate.serialize(`ticket:${input.ticketKey}`, async () => {
    const active = (await deps.store.findActive([input.ticketKey])).get(input.ticketKey);
    if (active !== undefined) return { task: active, created: false };
    await assertBudgetLeft(deps.budgets, { person: input.user.email, repo: repo.github });

    const issue = await deps.tracker.getIssue(input.ticketKey);
    if (issue === null) throw new AppError("not_found", `No Jira ticket ${input.ticketKey}`);
    const permit = await deps.gate.take(input.user.email);
    try {
      const result = await insert(deps, input, repo, issue);
      if (!result.created) permit.release();
      return result;
    } catch (error) {
      permit.release();
      throw error;
    }
  });
}

async function insert(
  deps: Pick<TaskDeps, "store" | "hub"> & { queue: TaskQueue },
  input: CreateFixTaskInput,
  repo: RepoConfig,
  issue: TrackerIssueDetail,
): Promise<{ task: Task; created: boolean }> {
  const earlier = await deps.store.list({ ticketKey: input.ticketKey, limit: 200 });
  const taken = new Set(earlier.tasks.map((t) => t.branch).filter((b): b is string => b !== null));
  const result = await deps.store.create({
    kind: "fix",
    ticketKey: input.ticketKey,
    repo: repo.github,
    baseBranch: repo.baseBranch,
    branch: uniqueBranch(fixBranchName(input.ticketKey, issue.summary), taken),
    prompt: null,
    instructions: input.instructions ?? null,
    createdBy: input.user.email,
    ticketSnapshot: snapshotTicket(issue),
  });
  if (result.created) {
    await recordRequest(deps, result.task.id, {
      action: "create",
      message: input.instructions ?? null,
      by: input.user.email,
      previous: null,
      ...(input.source === undefined ? {} : { source: input.source }),
    });
    await recordEvent(deps, result.task.id, {
      type: "task.status",
      payload: { status: "queued", phase: "queued", outcome: null, error: null },
    });
    await deps.queue.enqueue(result.task.id);
  }
  return result;
}
