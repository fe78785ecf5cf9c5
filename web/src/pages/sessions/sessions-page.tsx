import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { AdminSession } from "../../../../shared/index.js";
import { queryKeys } from "../../api/query-keys.js";
import { fetchAdminSessions } from "../../api/session-endpoints.js";
import { EmptyState } from "../../components/empty-state.js";
import { ErrorPanel } from "../../components/error-panel.js";
import { LoadingState } from "../../components/loading-state.js";
import { useCurrentUser } from "../../hooks/use-current-user.js";
import { SessionRow } from "./session-row.js";

/**
 * Admins: who is signed in, with the role today's configuration gives each, and a way to
 * sign a session out (a lost laptop, someone who left). After a revoke, focus goes to the
 * next row's Revoke button (or the previous, or the heading when none is left).
 */
export function SessionsPage() {
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const sessions = useQuery({
    queryKey: queryKeys.adminSessions,
    queryFn: ({ signal }) => fetchAdminSessions(signal),
  });
  const [announcement, setAnnouncement] = useState("");
  const heading = useRef<HTMLHeadingElement>(null);
  const table = useRef<HTMLTableSectionElement>(null);
  // The row index to focus once the revoked row is gone from the list.
  const focusIndex = useRef<number | null>(null);

  useEffect(() => {
    const index = focusIndex.current;
    if (index === null) return;
    focusIndex.current = null;
    const buttons = table.current?.querySelectorAll<HTMLButtonElement>("tr td:last-child button");
    const target = buttons?.[Math.min(index, buttons.length - 1)] ?? heading.current;
    target?.focus();
  }, [sessions.data]);

  const onRevoked = (revoked: AdminSession) => {
    const list = queryClient.getQueryData<AdminSession[]>(queryKeys.adminSessions) ?? [];
    focusIndex.current = Math.max(
      0,
      list.findIndex((s) => s.id === revoked.id),
    );
    queryClient.setQueryData(
      queryKeys.adminSessions,
      list.filter((s) => s.id !== revoked.id),
    );
    setAnnouncement(`Signed out ${revoked.name} (${revoked.email}).`);
    void queryClient.invalidateQueries({ queryKey: queryKeys.adminSessions });
    // An admin may have revoked their own browser: ask again who is signed in.
    if (revoked.email === me.email) void queryClient.invalidateQueries({ queryKey: queryKeys.me });
  };

  let body;
  if (sessions.isPending) body = <LoadingState label="Loading sessions…" />;
  else if (sessions.isError)
    body = (
      <ErrorPanel
        error={sessions.error}
        action="load the sessions"
        onRetry={() => void sessions.refetch()}
      />
    );
  else if (sessions.data.length === 0)
    body = (
      <EmptyState title="Nobody is signed in">Sessions appear here after a sign-in.</EmptyState>
    );
  else
    body = (
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">Signed-in sessions, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Role today</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last seen</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody ref={table}>
            {sessions.data.map((session) => (
              <SessionRow
                key={session.id}
                session={session}
                isYou={session.email === me.email}
                onRevoked={onRevoked}
              />
            ))}
          </tbody>
        </table>
      </div>
    );

  return (
    <section className="page">
      <div className="page__head">
        <div>
          <h1 ref={heading} tabIndex={-1}>
            Sessions
          </h1>
          <p className="muted">
            Who is signed in in a browser, and when each session was last used (to the minute).
            Revoking a session signs its person out at their next click; service tokens are
            configuration and are not listed.
          </p>
        </div>
      </div>
      <p role="status" className="small">
        {announcement}
      </p>
      {body}
    </section>
  );
}
