import { useMutation, useQueryClient } from "@tanstack/react-query";
import { NoRoleDetailsSchema } from "../../../shared/index.js";
import type { ApiError } from "../api/api-error.js";
import { logout } from "../api/endpoints.js";
import { queryKeys } from "../api/query-keys.js";
import { ErrorPanel } from "../components/error-panel.js";
import { BrandName } from "../components/brand-name.js";

/** Whether `/api/me` said "signed in, but no role" (403 `forbidden` with `no_role`). */
export function isNoRoleError(error: ApiError): boolean {
  return error.status === 403 && NoRoleDetailsSchema.safeParse(error.details).success;
}

/**
 * Shown to someone the company sign-in knows but Patchboard has given no role: who they
 * are signed in as and what to ask an admin for, instead of the sign-in page they would
 * only bounce back from.
 */
export function NoAccessPage({ error }: { error: ApiError }) {
  const queryClient = useQueryClient();
  const details = NoRoleDetailsSchema.safeParse(error.details);
  const email = details.success ? details.data.email : null;
  const signOut = useMutation({
    mutationFn: logout,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.me }),
  });
  return (
    <div className="sign-in">
      <main className="sign-in__card" id="main">
        <p className="brand brand--large">
          <BrandName />
        </p>
        <h1>Ask an admin for access</h1>
        <p>
          {email ? (
            <>
              You are signed in as <strong>{email}</strong>, but you do not have a Patchboard role
              yet.
            </>
          ) : (
            error.message
          )}
        </p>
        <p className="muted">
          Ask a Patchboard admin to add you to the product manager, engineer or admin group (or
          email list). Then reload this page.
        </p>
        <p>
          <button
            type="button"
            className="button button--ghost"
            onClick={() => signOut.mutate()}
            disabled={signOut.isPending}
          >
            Sign in as someone else
          </button>
        </p>
        {signOut.isError ? <ErrorPanel error={signOut.error} action="sign out" /> : null}
      </main>
    </div>
  );
}
