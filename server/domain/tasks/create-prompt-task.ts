import type { Task } from "../../../shared/task.js";
import type { User } from "../../../shared/user.js";
import { AppError } from "../app-error.js";
import type { TaskQueue } from "../ports/task-queue.js";
import type { TaskDeps } from "../task-deps.js";
import { promptBranchName } from "./branch-name.js";
import { recordEvent } from "./record-event.js";

/** Input of {@link createPromptTask}. */
export interface CreatePromptTaskInput {
  prompt: string;
  /** A configured repository's GitHub name; never a server path. */
  repo: string;
  user: User;
}

/** A free-form task on a configured repository ("Analyze the test failures…"). */
export async function createPromptTask(
  deps: Pick<TaskDeps, "store" | "hub" | "repos"> & { queue: TaskQueue },
  input: CreatePromptTaskInput,
): Promise<Task> {
  const repo = deps.repos.forGithub(input.repo);
  if (repo === undefined) {
    throw new AppError("repo_not_configured", `${input.repo} is not a configured repository`, {
      details: [{ path: "repo", message: "must be a configured repository" }],
    });
  }
  const { task } = await deps.store.create({
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
  // The branch names the task, so it can only be chosen once the id exists.
  const named = await deps.store.update(task.id, { branch: promptBranchName(task.id) });
  await recordEvent(deps, task.id, {
    type: "task.request",
    payload: { action: "create", message: input.prompt, by: input.user.email },
  });
  await recordEvent(deps, task.id, {
    type: "task.status",
    payload: { status: "queued", phase: "queued", outcome: null, error: null },
  });
  deps.queue.enqueue(task.id);
  return named;
}
