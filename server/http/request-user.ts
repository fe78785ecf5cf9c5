import type { Request } from "express";
import type { User } from "../../shared/user.js";
import { AppError } from "../domain/app-error.js";

const USER = Symbol("patchboard.user");

type WithUser = Request & { [USER]?: User };

/** Attaches the authenticated user to the request. */
export function setRequestUser(req: Request, user: User): void {
  (req as WithUser)[USER] = user;
}

/** The authenticated user, if any. */
export function findRequestUser(req: Request): User | undefined {
  return (req as WithUser)[USER];
}

/** The authenticated user, or a 401. */
export function requireRequestUser(req: Request): User {
  const user = findRequestUser(req);
  if (user === undefined) throw new AppError("unauthorized", "Sign in first");
  return user;
}
