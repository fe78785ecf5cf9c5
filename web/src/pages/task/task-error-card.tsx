import type { TaskError } from "../../../../shared/index.js";
import { adviceFor } from "../../lib/error-advice.js";

/** Why the task failed, in plain words, with what to do next. */
export function TaskErrorCard({ error }: { error: TaskError }) {
  const advice = adviceFor(error.code);
  return (
    <section className="callout callout--danger" aria-labelledby="task-error-title">
      <h2 id="task-error-title" className="callout__title">
        {advice.title}
      </h2>
      {/* A setup failure quotes the command's last output: keep its lines. */}
      {error.message.includes("\n") ? (
        <pre className="small">{error.message}</pre>
      ) : (
        <p>{error.message}</p>
      )}
      <p>
        <strong>What to do: </strong>
        {advice.advice}
      </p>
      <p className="small muted">
        Error code: <code>{error.code}</code>
      </p>
    </section>
  );
}
