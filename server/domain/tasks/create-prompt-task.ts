import type { Task } from "../../../shared/task.js";
import type { User } from "../../../shared/user.js";
import { AppError } from "../app-error.js";
import type { RunGate } from "../ports/run-gate.js";
import { assertBudgetLeft } from "../budgets/assert-budget-left.js";
import type { TaskQueue } from "../ports/task-queue.js";
import type { TaskDeps } from "../task-deps.js";
import { promptBranchName } from "./branch-name.js";
import { recordEvent } from "./record-event.js";
import { recordRequest } from "./record-request.js";

/** Input of {@link createPromptTask}. */
export interface CreatePromptTaskInput {
  prompt: string;
  /** A configured repository's GitHub name; never a server path. */
  repo: string;
  user: User;
}

/**
 * A free-form task on a configured repository ("Analyze the test failures…"). Every one
 * is a new run, so it spends one from the person's budget.
 */
export async function createPromptTask(
  deps: Pick<TaskDeps, "store" | "hub" | "repos" | "budgets"> & { queue: TaskQueue; gate: RunGate },
  input: CreatePromptTaskInput,
): Promise<Task> {
  const repo = deps.repos.forGithub(input.repo);
  if (repo === undefined) {
    throw new AppError("repo_not_configured", `${input.repo} is not a configured repository`, {
      details: [{ path: "repo", message: "must be a configured repository" }],
    });
  }
  await assertBudgetLeft(deps.budgets, { person: input.user.email, repo: repo.github });
  const permit = await deps.gate.take(input.user.email);
  let created: Awaited<ReturnType<typeof deps.store.create>>;
  try {
    created = await deps.store.create({
      kind: "prompt",
      ticketKey: null,
      repo: repo.github,
      baseBranch: repo.baseBranch,
      branch: null,
      prompt: input.prompt,
      instructions: null,
      createdBy: input.user.email,
      ticketSnapshot: null,
    });
  } catch (error) {
    permit.release();
    throw error;
  }
  const { task } = created;
  // The branch names the task, so it can only be chosen once the id exists.
  const named = await deps.store.update(task.id, { branch: promptBranchName(task.id) });
  await recordRequest(deps, task.id, {
    action: "create",
    message: input.prompt,
    by: input.user.email,
    previous: null,
  });
  await recordEvent(deps, task.id, {
    type: "task.status",
    payload: { status: "queued", phase: "queued", outcome: null, error: null },
  });
  await deps.queue.enqueue(task.id);
  return named;
}
