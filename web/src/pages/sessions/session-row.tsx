import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { AdminSession } from "../../../../shared/index.js";
import { ApiError } from "../../api/api-error.js";
import { revokeSession } from "../../api/session-endpoints.js";
import { RelativeTime } from "../../components/relative-time.js";

interface SessionRowProps {
  session: AdminSession;
  /** The session is the signed-in admin's own email (maybe this very browser). */
  isYou: boolean;
  /** The server revoked it; the page drops the row and moves focus. */
  onRevoked: (session: AdminSession) => void;
}

/**
 * One session with a two-step Revoke: the first click asks, the second signs the person
 * out. Focus follows the step (to "Yes, sign out", back to "Revoke" on Cancel, Escape or an
 * error), so a keyboard user never loses their place.
 */
export function SessionRow({ session, isYou, onRevoked }: SessionRowProps) {
  const [confirming, setConfirming] = useState(false);
  const revokeButton = useRef<HTMLButtonElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  // Focus moves only after a step the person took, never on the first render.
  const stepped = useRef(false);
  const revoke = useMutation({
    mutationFn: () => revokeSession(session.id),
    onSuccess: () => onRevoked(session),
    onError: () => setConfirming(false),
  });
  useEffect(() => {
    if (!stepped.current) return;
    (confirming ? confirmButton : revokeButton).current?.focus();
  }, [confirming]);
  const step = (next: boolean) => {
    stepped.current = true;
    if (next) revoke.reset();
    setConfirming(next);
  };
  const who = `${session.name}${isYou ? " (you)" : ""}`;
  return (
    <tr>
      <th scope="row">
        {session.name}
        {isYou ? <span className="muted"> (you)</span> : null}
        <div className="muted small">{session.email}</div>
      </th>
      <td>
        {session.role ? (
          <span className={`role role--${session.role}`}>{session.role}</span>
        ) : (
          <span className="muted">no access</span>
        )}
      </td>
      <td>
        <RelativeTime iso={session.createdAt} />
      </td>
      <td>
        {/* Recorded at most once a minute, so "just now" covers the last minute. */}
        {session.lastSeenAt ? (
          <RelativeTime iso={session.lastSeenAt} />
        ) : (
          <span className="muted" title="Signed in before Patchboard recorded this">
            not recorded
          </span>
        )}
      </td>
      <td>
        <RelativeTime iso={session.expiresAt} />
      </td>
      <td>
        {confirming ? (
          <div
            role="group"
            aria-label={`Sign out ${who}?`}
            className="session-confirm"
            onKeyDown={(event) => {
              if (event.key === "Escape" && !revoke.isPending) step(false);
            }}
          >
            <span className="small">Sign out {who}?</span>{" "}
            <button
              type="button"
              ref={confirmButton}
              className="button button--danger"
              disabled={revoke.isPending}
              onClick={() => revoke.mutate()}
            >
              {revoke.isPending ? "Signing out…" : "Yes, sign out"}
            </button>{" "}
            <button
              type="button"
              className="button button--ghost"
              disabled={revoke.isPending}
              onClick={() => step(false)}
            >
              Cancel
            </button>
          </div>
        ) : (
          <button type="button" ref={revokeButton} className="button" onClick={() => step(true)}>
            Revoke<span className="visually-hidden"> the session of {who}</span>
          </button>
        )}
        {revoke.isError ? (
          <p className="callout callout--danger small" role="alert">
            Could not revoke: {revokeErrorText(revoke.error)}
          </p>
        ) : null}
      </td>
    </tr>
  );
}

function revokeErrorText(error: Error): string {
  if (error instanceof ApiError && error.code === "not_found") {
    return "this session has already ended (signed out or expired). Reload the list.";
  }
  return error.message;
}
