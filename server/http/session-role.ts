import { createHash } from "node:crypto";
import type { User } from "../../shared/user.js";
import type { RoleMapping } from "../config/app-config.js";
import { resolveRole } from "../config/role-mapping.js";
import type { Session } from "../domain/ports/session-store.js";

/** What decides a session's role today. */
export interface SessionRoleSources {
  roles?: RoleMapping | undefined;
  /** With AUTH_MODE=dev: the configured people, whose listed role a dev session gets. */
  devUsers?: User[] | null | undefined;
}

/**
 * The session's person with the role today's configuration gives them, or null when it
 * gives none: the role stored at sign-in is not trusted, so taking someone off a list or
 * out of a group (and restarting with the new settings) takes effect on their next click.
 */
export function currentUser(session: Session, deps: SessionRoleSources): User | null {
  const { email, name } = session.user;
  if (session.groups == null && deps.devUsers) {
    const listed = deps.devUsers.find((u) => u.email.toLowerCase() === email.toLowerCase());
    return listed === undefined ? null : { email, name, role: listed.role };
  }
  const role = deps.roles ? resolveRole(deps.roles, { email, groups: session.groups ?? [] }) : null;
  return role === null ? null : { email, name, role };
}

/**
 * The id an admin sees and revokes a session by: derived from the stored hash, so the
 * listing gives away nothing that is looked up at sign-in.
 */
export function publicSessionId(session: Pick<Session, "idHash">): string {
  return createHash("sha256").update(`session:${session.idHash}`).digest("hex").slice(0, 32);
}
