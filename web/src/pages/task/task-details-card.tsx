import type { Task } from "../../../../shared/index.js";
import { RelativeTime } from "../../components/relative-time.js";

/** Who started the task, where, when. */
export function TaskDetailsCard({ task }: { task: Task }) {
  return (
    <section className="card" aria-labelledby="details-heading">
      <h2 id="details-heading">Details</h2>
      <dl className="meta meta--compact">
        <dt>Repository</dt>
        <dd className="mono small">{task.repo}</dd>
        <dt>Base branch</dt>
        <dd className="mono small">{task.baseBranch}</dd>
        {task.branch ? (
          <>
            <dt>Branch</dt>
            <dd className="mono small">{task.branch}</dd>
          </>
        ) : null}
        <dt>Started by</dt>
        <dd>{task.createdBy}</dd>
        <dt>Created</dt>
        <dd>
          <RelativeTime iso={task.createdAt} />
        </dd>
        {task.testsPassed !== null ? (
          <>
            <dt>Tests</dt>
            <dd>{task.testsPassed ? "✓ Passed" : "✗ Failed"}</dd>
          </>
        ) : null}
      </dl>
      {task.instructions ? (
        <>
          <h3>Instructions</h3>
          <p className="prose small">{task.instructions}</p>
        </>
      ) : null}
    </section>
  );
}
