import type { Task } from "../../../../shared/index.js";
import { Markdown } from "../../components/markdown.js";
import { OUTCOME_LABELS } from "../../lib/task-labels.js";

/** How a completed task ended, with the agent's summary. */
export function OutcomeCard({ task }: { task: Task }) {
  if (!task.outcome && !task.summary) return null;
  return (
    <section className="card card--accent" aria-labelledby="outcome-heading">
      <h2 id="outcome-heading">{task.outcome ? OUTCOME_LABELS[task.outcome] : "Summary"}</h2>
      {task.summary ? <Markdown text={task.summary} /> : null}
    </section>
  );
}
