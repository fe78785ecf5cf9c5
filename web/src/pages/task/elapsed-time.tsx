import type { Task } from "../../../../shared/index.js";
import { useNow } from "../../hooks/use-now.js";
import { durationBetween, formatDuration } from "../../lib/format.js";
import { isActiveStatus } from "../../lib/task-labels.js";

/** How long the task has run (ticking every second while it runs). */
export function ElapsedTime({ task }: { task: Pick<Task, "status" | "startedAt" | "finishedAt"> }) {
  const running = isActiveStatus(task.status) && !task.finishedAt;
  const now = useNow(1000, running);
  const ms = durationBetween(task.startedAt, running ? null : task.finishedAt, now);
  if (ms === null) return <span className="muted">Not started</span>;
  return (
    <span className="elapsed" title={running ? "Elapsed so far" : "Total run time"}>
      <span className="visually-hidden">{running ? "Elapsed: " : "Took: "}</span>
      <span className="muted">Elapsed </span>
      {formatDuration(ms)}
    </span>
  );
}
