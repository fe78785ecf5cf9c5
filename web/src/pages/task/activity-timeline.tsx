import type { ActivityEntry as Entry } from "../../lib/task-activity.js";
import { ActivityEntry } from "./activity-entry.js";

/** Everything the agent and the server did, in order. */
export function ActivityTimeline({ entries, waiting }: { entries: Entry[]; waiting: boolean }) {
  return (
    <section className="card" aria-labelledby="activity-heading">
      <h2 id="activity-heading">Activity</h2>
      {entries.length === 0 ? (
        <p className="muted small">
          {waiting ? "Waiting for the agent to start…" : "No activity recorded."}
        </p>
      ) : (
        <ol className="activity">
          {entries.map((entry) => (
            <ActivityEntry key={entry.key} entry={entry} />
          ))}
        </ol>
      )}
      {waiting && entries.length > 0 ? (
        <p className="activity__working muted small">
          <span className="spinner spinner--small" aria-hidden="true" /> Working…
        </p>
      ) : null}
    </section>
  );
}
