import type { Role } from "../../shared/user.js";

const EVERYONE: readonly Role[] = ["pm", "engineer", "admin"];
const ENGINEERS: readonly Role[] = ["engineer", "admin"];
const ADMINS: readonly Role[] = ["admin"];

/**
 * Who may do what: the one table of authorization rules. Routes name a permission; the
 * server refuses a role that is not listed with 403, whatever the browser shows.
 */
export const ACCESS_POLICY = {
  // One rule for the audit trail: it is part of the task. `task.request` events (who
  // started, followed up, cancelled, retried, and their words) reach every role through
  // the task's events, and `task.turn` and `createdBy` say the same, so whoever may read a
  // task may read its audit (GET /api/tasks/:id/audit is `tasks:read` too).
  "settings:read": EVERYONE,
  "tickets:read": EVERYONE,
  "tasks:read": EVERYONE,
  "tasks:create": EVERYONE,
  "tasks:cancel": EVERYONE,
  "tasks:retry": EVERYONE,
  "tasks:follow_up": ENGINEERS,
  "prompt_tasks:create": ENGINEERS,
  "history:read": ADMINS,
  "reviews:read": ENGINEERS,
  "reviews:run": ADMINS,
  "sessions:manage": ADMINS,
  // Checked by the use cases, not by a route: cancelling or retrying a task someone else
  // started. Without it a person steers only their own tasks.
  "tasks:steer_others": ENGINEERS,
} as const satisfies Record<string, readonly Role[]>;

/** A permission a route (or a use case) can require. */
export type Permission = keyof typeof ACCESS_POLICY;

/** Permissions the use cases check themselves, so no route names them. */
export const USE_CASE_PERMISSIONS: readonly Permission[] = ["tasks:steer_others"];

/** Whether a role has a permission. */
export function allows(role: Role, permission: Permission): boolean {
  return ACCESS_POLICY[permission].includes(role);
}
