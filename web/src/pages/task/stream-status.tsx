import type { StreamState } from "../../hooks/use-task-events.js";

const LABELS: Record<StreamState, string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  ended: "Up to date",
  failed: "Live updates stopped",
};

/**
 * Whether the live stream is connected, with a way to reconnect when it stopped, and the
 * server's reason when it refused the stream (too many live task pages open…).
 */
export function StreamStatus({
  state,
  refusal,
  onReconnect,
}: {
  state: StreamState;
  refusal: string | null;
  onReconnect: () => void;
}) {
  return (
    <span className={`stream stream--${state}`}>
      <span className="stream__dot" aria-hidden="true" />
      {LABELS[state]}
      {state === "failed" && refusal ? <span className="stream__reason">: {refusal}</span> : null}
      {state === "failed" ? (
        <button type="button" className="link-button" onClick={onReconnect}>
          Reconnect
        </button>
      ) : null}
    </span>
  );
}
