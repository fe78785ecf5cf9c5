import type { ReactNode } from "react";
import { Link } from "react-router";
import type { Role } from "../../../shared/index.js";
import { useCurrentUser } from "../hooks/use-current-user.js";

interface RequireRoleProps {
  roles: readonly Role[];
  children: ReactNode;
}

/** Renders its children for the given roles, and a plain "not for you" page for others. */
export function RequireRole({ roles, children }: RequireRoleProps) {
  const user = useCurrentUser();
  if (roles.includes(user.role)) return children;
  return (
    <section className="page page--narrow">
      <h1>Not available to you</h1>
      <p>
        This page is for {roles.join(" and ")} users; you are signed in as {user.role}.{" "}
        <Link to="/">Back to tickets</Link>
      </p>
    </section>
  );
}
