import { ApiError } from "./api/api-error.js";
import { AppRoutes } from "./app-routes.js";
import { ErrorPanel } from "./components/error-panel.js";
import { LoadingState } from "./components/loading-state.js";
import { useMeQuery } from "./hooks/use-current-user.js";
import { NoAccessPage, isNoRoleError } from "./pages/no-access-page.js";
import { SignInPage } from "./pages/sign-in-page.js";

/**
 * Decides between the sign-in page and the app: asks the server who is signed in
 * (a 401 means nobody) and renders accordingly. Needs a router and a query client above it.
 */
export function AppShell() {
  const me = useMeQuery();
  // Before the app's frame exists, what is shown still sits in a main landmark.
  if (me.isPending)
    return (
      <main id="main">
        <LoadingState label="Checking your session…" />
      </main>
    );
  if (me.isError) {
    if (me.error instanceof ApiError && isNoRoleError(me.error)) {
      return <NoAccessPage error={me.error} />;
    }
    return (
      <main id="main" className="page page--narrow">
        <ErrorPanel
          error={me.error}
          action="check who is signed in"
          onRetry={() => void me.refetch()}
        />
      </main>
    );
  }
  if (!me.data) return <SignInPage />;
  return <AppRoutes user={me.data} />;
}
