import { Link } from "react-router";
import type { Task } from "../../../../shared/index.js";

function firstLine(text: string, max: number): string {
  const line = text.trim().split("\n")[0] ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The task's eyebrow and heading: its ticket, or its prompt. */
export function TaskTitle({ task }: { task: Task }) {
  if (task.kind === "prompt" || !task.ticketKey) {
    return (
      <div>
        <p className="eyebrow">
          Prompt task · <span className="mono">{task.repo}</span>
        </p>
        <h1>{firstLine(task.prompt ?? "Prompt", 120) || "Prompt"}</h1>
      </div>
    );
  }
  const snapshot = task.ticketSnapshot;
  return (
    <div>
      <p className="eyebrow">
        Fix for{" "}
        <Link to={`/tickets/${encodeURIComponent(task.ticketKey)}`} className="mono">
          {task.ticketKey}
        </Link>
        {snapshot ? (
          <>
            {" · "}
            <a href={snapshot.url} target="_blank" rel="noreferrer noopener">
              Jira ↗<span className="visually-hidden"> (new tab)</span>
            </a>
          </>
        ) : null}
      </p>
      <h1>{snapshot?.summary ?? `Fix ${task.ticketKey}`}</h1>
    </div>
  );
}
