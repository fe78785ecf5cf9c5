import type { Task } from "../../../shared/task.js";
import type { User } from "../../../shared/user.js";
import { AppError } from "../app-error.js";
import type { TaskQueue } from "../ports/task-queue.js";
import type { TaskDeps } from "../task-deps.js";
import { fixBranchName, uniqueBranch } from "./branch-name.js";
import { recordEvent } from "./record-event.js";
import { snapshotTicket } from "./ticket-snapshot.js";

/** Input of {@link createFixTask}. */
export interface CreateFixTaskInput {
  ticketKey: string;
  instructions?: string | undefined;
  user: User;
}

/**
 * "Fix this bug": snapshots the ticket into a new queued fix task and schedules it.
 * Clicking twice is safe: while the ticket has a queued or running task, that task is
 * returned with `created: false` (the store enforces it, so concurrent clicks agree).
 */
export async function createFixTask(
  deps: Pick<TaskDeps, "store" | "hub" | "tracker" | "repos"> & { queue: TaskQueue },
  input: CreateFixTaskInput,
): Promise<{ task: Task; created: boolean }> {
  const repo = deps.repos.forTicket(input.ticketKey);
  if (repo === undefined) {
    throw new AppError(
      "repo_not_configured",
      `No repository is configured for ${input.ticketKey}'s project; add it to the repositories file`,
    );
  }
  const active = (await deps.store.findActive([input.ticketKey])).get(input.ticketKey);
  if (active !== undefined) return { task: active, created: false };

  const issue = await deps.tracker.getIssue(input.ticketKey);
  if (issue === null) throw new AppError("not_found", `No Jira ticket ${input.ticketKey}`);

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
    await recordEvent(deps, result.task.id, {
      type: "task.request",
      payload: { action: "create", message: input.instructions ?? null, by: input.user.email },
    });
    await recordEvent(deps, result.task.id, {
      type: "task.status",
      payload: { status: "queued", phase: "queued", outcome: null, error: null },
    });
    deps.queue.enqueue(result.task.id);
  }
  return result;
}
