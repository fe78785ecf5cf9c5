import type { Task } from "../../../shared/task.js";
import type { User } from "../../../shared/user.js";
import { allows } from "../access-policy.js";
import { AppError } from "../app-error.js";

/**
 * Refuses (403) a person who may not steer this task: someone without
 * `tasks:steer_others` (a PM) cancels and retries only the tasks they started, and
 * re-running a free-form prompt task needs the role that may create one, or a retry would
 * let a PM run a prompt they could never have sent.
 */
export function assertMaySteer(task: Task, user: User, action: "cancel" | "retry"): void {
  const own = task.createdBy.trim().toLowerCase() === user.email.trim().toLowerCase();
  if (!own && !allows(user.role, "tasks:steer_others")) {
    throw new AppError(
      "forbidden",
      `Your role (${user.role}) may ${action} only the tasks you started; this one is ${task.createdBy}'s`,
    );
  }
  if (action === "retry" && task.kind === "prompt" && !allows(user.role, "prompt_tasks:create")) {
    throw new AppError(
      "forbidden",
      `Your role (${user.role}) may not run free-form prompt tasks, so it may not re-run one`,
    );
  }
}
