import type { Role } from "../../shared/user.js";

const EVERYONE: readonly Role[] = ["pm", "engineer", "admin"];
const ENGINEERS: readonly Role[] = ["engineer", "admin"];
const ADMINS: readonly Role[] = ["admin"];

/**
 * Who may do what: the one table of authorization rules. Routes name a permission; the
 * server refuses a role that is not listed with 403, whatever the browser shows.
 */
export const ACCESS_POLICY = {
  "settings:read": EVERYONE,
  "tickets:read": EVERYONE,
  "tasks:read": EVERYONE,
  "tasks:create": EVERYONE,
  "tasks:cancel": EVERYONE,
  "tasks:retry": EVERYONE,
  "tasks:follow_up": ENGINEERS,
  "prompt_tasks:create": ENGINEERS,
  "history:read": ADMINS,
  "tasks:audit": ADMINS,
  "reviews:read": ENGINEERS,
  "reviews:run": ADMINS,
} as const satisfies Record<string, readonly Role[]>;

/** A permission a route can require. */
export type Permission = keyof typeof ACCESS_POLICY;

/** Whether a role has a permission. */
export function allows(role: Role, permission: Permission): boolean {
  return ACCESS_POLICY[permission].includes(role);
}
