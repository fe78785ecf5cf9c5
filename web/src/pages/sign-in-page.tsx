import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import { SIGN_IN_ERROR_PARAM, SignInErrorSchema, type SignInError } from "../../../shared/auth.js";
import { devLogin, fetchAuthConfig } from "../api/endpoints.js";
import { queryKeys } from "../api/query-keys.js";
import { EmptyState } from "../components/empty-state.js";
import { ErrorPanel } from "../components/error-panel.js";
import { LoadingState } from "../components/loading-state.js";
import { SandboxBanner } from "../components/sandbox-banner.js";
import { BrandName } from "../components/brand-name.js";

/**
 * Sign-in. In dev mode (local, sandbox, tests) it lists the configured users to sign in
 * as; with single sign-on it explains that the session comes from the company login.
 */
export function SignInPage() {
  const queryClient = useQueryClient();
  const signInError = useSignInError();
  const config = useQuery({
    queryKey: queryKeys.authConfig,
    queryFn: ({ signal }) => fetchAuthConfig(signal),
  });
  const login = useMutation({
    mutationFn: devLogin,
    onSuccess: (user) => queryClient.setQueryData(queryKeys.me, user),
  });

  let body;
  if (config.isPending) body = <LoadingState />;
  else if (config.isError)
    body = (
      <ErrorPanel
        error={config.error}
        action="load the sign-in options"
        onRetry={() => void config.refetch()}
      />
    );
  else if (config.data.mode === "oidc")
    body = (
      <>
        <p className="muted">Patchboard uses your company account.</p>
        <p>
          {/* A plain navigation: the server redirects to the identity provider and back. */}
          <a className="button" href={signInHref(config.data.loginUrl ?? "/api/auth/oidc/login")}>
            Sign in with your company account
          </a>
        </p>
      </>
    );
  else if (config.data.mode !== "dev")
    body = (
      <p>
        Patchboard uses your company sign-in. <a href="/">Reload</a> to sign in again, or ask an
        admin if you keep landing here.
      </p>
    );
  else if (config.data.devUsers.length === 0)
    body = (
      <EmptyState title="No users to sign in as">
        The server has no development users configured.
      </EmptyState>
    );
  else
    body = (
      <>
        <p className="muted">Choose who to sign in as:</p>
        <ul className="user-picker">
          {config.data.devUsers.map((user) => (
            <li key={user.email}>
              <button
                type="button"
                className="user-picker__button"
                disabled={login.isPending}
                onClick={() => login.mutate(user.email)}
              >
                <span className="user-picker__name">{user.name}</span>
                <span className="user-picker__email">{user.email}</span>
                <span className={`role role--${user.role}`}>{user.role}</span>
              </button>
            </li>
          ))}
        </ul>
        {login.isError ? <ErrorPanel error={login.error} action="sign in" /> : null}
      </>
    );

  return (
    <div className="sign-in">
      {config.data?.sandbox ? <SandboxBanner /> : null}
      <main className="sign-in__card" id="main">
        <p className="brand brand--large">
          <BrandName />
        </p>
        <h1>Sign in</h1>
        {config.data?.sandbox ? (
          <p className="muted">
            This is the sandbox: tickets, pull requests and the agent are all simulated.
          </p>
        ) : null}
        {signInError === null ? null : (
          <div className="error-panel" role="alert">
            <p className="error-panel__title">You are not signed in</p>
            <p className="error-panel__message">{SIGN_IN_ERRORS[signInError]}</p>
          </div>
        )}
        {body}
      </main>
    </div>
  );
}

/** The sign-in link, asking to come back to the page the person was on. */
function signInHref(loginUrl: string): string {
  const here = `${window.location.pathname}${window.location.search}`;
  return here === "/" ? loginUrl : `${loginUrl}?returnTo=${encodeURIComponent(here)}`;
}

/** What the sign-in page says for each way a single sign-on can come back without a session. */
const SIGN_IN_ERRORS: Record<SignInError, string> = {
  expired: "The sign-in took too long or was started in another browser. Sign in again.",
  denied: "Your company sign-in did not let you in: access was denied or not given.",
  unavailable: "Your company sign-in could not be reached. Try again in a minute.",
  failed:
    "Signing in with your company account failed. Try again; if it keeps failing, ask an admin to look at the server log.",
};

/**
 * The reason the server's sign-in callback sent the browser back with, if any. It is read
 * once and taken out of the address, so a reload or the next sign-in does not repeat it.
 */
function useSignInError(): SignInError | null {
  const [params, setParams] = useSearchParams();
  const [reason] = useState(
    () => SignInErrorSchema.safeParse(params.get(SIGN_IN_ERROR_PARAM)).data ?? null,
  );
  useEffect(() => {
    if (!params.has(SIGN_IN_ERROR_PARAM)) return;
    const rest = new URLSearchParams(params);
    rest.delete(SIGN_IN_ERROR_PARAM);
    setParams(rest, { replace: true });
  }, [params, setParams]);
  return reason;
}
