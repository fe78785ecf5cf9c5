import { useMutation, useQueryClient } from "@tanstack/react-query";
import { NavLink, Link } from "react-router";
import type { User } from "../../../shared/index.js";
import { logout } from "../api/endpoints.js";
import { queryKeys } from "../api/query-keys.js";
import { canUseAgentTools } from "../hooks/use-current-user.js";
import { BrandName } from "./brand-name.js";

const navClass = ({ isActive }: { isActive: boolean }) =>
  isActive ? "nav__link nav__link--active" : "nav__link";

/** The top bar: app name, navigation for the user's role, who is signed in, sign-out. */
export function AppHeader({ user }: { user: User }) {
  const queryClient = useQueryClient();
  const signOut = useMutation({
    mutationFn: logout,
    onSuccess: () => {
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== "me" });
      queryClient.setQueryData(queryKeys.me, null);
    },
  });
  return (
    <header className="app-header">
      <div className="app-header__inner">
        <Link to="/" className="brand">
          <BrandName />
        </Link>
        <nav className="nav" aria-label="Main">
          <NavLink to="/" end className={navClass}>
            Tickets
          </NavLink>
          {canUseAgentTools(user.role) ? (
            <NavLink to="/tasks/new" className={navClass}>
              New task
            </NavLink>
          ) : null}
          {canUseAgentTools(user.role) ? (
            <NavLink to="/reviews" className={navClass}>
              Reviews
            </NavLink>
          ) : null}
          {user.role === "admin" ? (
            <NavLink to="/history" className={navClass}>
              History
            </NavLink>
          ) : null}
          {user.role === "admin" ? (
            <NavLink to="/sessions" className={navClass}>
              Sessions
            </NavLink>
          ) : null}
        </nav>
        <div className="app-header__user">
          <span className="user-chip" title={user.email}>
            <span className="user-chip__name">{user.name}</span>
            <span className={`role role--${user.role}`}>{user.role}</span>
          </span>
          <button
            type="button"
            className="button button--ghost"
            onClick={() => signOut.mutate()}
            disabled={signOut.isPending}
          >
            Sign out
          </button>
        </div>
      </div>
      {signOut.isError ? (
        <p className="app-header__error" role="alert">
          Could not sign out: {signOut.error.message}
        </p>
      ) : null}
    </header>
  );
}
