import type { Request } from "express";
import type { User } from "../../shared/user.js";
import { AppError } from "../domain/app-error.js";

const USER = Symbol("patchboard.user");
const NO_ROLE = Symbol("patchboard.no-role");

/** Someone the identity provider or proxy vouched for, whom no role mapping matched. */
export interface UnassignedIdentity {
  email: string;
  name: string;
}

type WithUser = Request & { [USER]?: User; [NO_ROLE]?: UnassignedIdentity };

/** Attaches the authenticated user to the request. */
export function setRequestUser(req: Request, user: User): void {
  (req as WithUser)[USER] = user;
}

/** The authenticated user, if any. */
export function findRequestUser(req: Request): User | undefined {
  return (req as WithUser)[USER];
}

/** The authenticated user, or a 401 (a 403 for someone signed in without a role). */
export function requireRequestUser(req: Request): User {
  const user = findRequestUser(req);
  if (user !== undefined) return user;
  const identity = findUnassignedIdentity(req);
  if (identity !== undefined) throw noRoleError(identity);
  throw new AppError("unauthorized", "Sign in first");
}

/** Records that the caller is signed in but has no role (403 rather than 401). */
export function setUnassignedIdentity(req: Request, identity: UnassignedIdentity): void {
  (req as WithUser)[NO_ROLE] = identity;
}

/** The caller's identity when signed in without a role. */
export function findUnassignedIdentity(req: Request): UnassignedIdentity | undefined {
  return (req as WithUser)[NO_ROLE];
}

/** The 403 for someone signed in without a role; names them so they can ask an admin. */
export function noRoleError(identity: UnassignedIdentity): AppError {
  return new AppError(
    "forbidden",
    `You are signed in as ${identity.email}, but you have no Patchboard role yet. Ask an admin for access.`,
    { details: { reason: "no_role", email: identity.email, name: identity.name } },
  );
}
