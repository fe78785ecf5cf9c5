import { Link } from "react-router";
import type { ActiveTaskRef } from "../../../shared/index.js";
import { StatusPill } from "./status-pill.js";

/** A ticket's queued or running task: its live status, linking to the task page. */
export function ActiveTaskLink({ task }: { task: ActiveTaskRef }) {
  return (
    <Link to={`/tasks/${task.id}`} className="active-task-link" title="Open the running task">
      <StatusPill status={task.status} phase={task.phase} />
      <span className="active-task-link__cta">View</span>
    </Link>
  );
}
