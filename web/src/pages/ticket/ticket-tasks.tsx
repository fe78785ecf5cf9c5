import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { fetchTasks } from "../../api/endpoints.js";
import { queryKeys } from "../../api/query-keys.js";
import { EmptyState } from "../../components/empty-state.js";
import { ErrorPanel } from "../../components/error-panel.js";
import { LoadingState } from "../../components/loading-state.js";
import { RelativeTime } from "../../components/relative-time.js";
import { StatusPill } from "../../components/status-pill.js";
import { OUTCOME_LABELS, isActiveStatus } from "../../lib/task-labels.js";

/** The tasks that ran for a ticket, newest first. */
export function TicketTasks({ ticketKey }: { ticketKey: string }) {
  const filters = { ticketKey };
  const tasks = useQuery({
    queryKey: queryKeys.tasks(filters),
    queryFn: ({ signal }) => fetchTasks(filters, { limit: 20 }, signal),
    refetchInterval: (query) =>
      query.state.data?.tasks.some((t) => isActiveStatus(t.status)) ? 5000 : false,
  });
  if (tasks.isPending) return <LoadingState label="Loading tasks…" />;
  if (tasks.isError)
    return (
      <ErrorPanel
        error={tasks.error}
        action="load this ticket's tasks"
        onRetry={() => void tasks.refetch()}
      />
    );
  if (tasks.data.tasks.length === 0)
    return <EmptyState title="No tasks yet">The agent has not worked on this ticket.</EmptyState>;
  return (
    <ul className="task-list">
      {tasks.data.tasks.map((task) => (
        <li key={task.id} className="task-list__item">
          <Link to={`/tasks/${task.id}`} className="task-list__link">
            <StatusPill status={task.status} phase={task.phase} />
            <span className="task-list__text">
              {task.outcome ? OUTCOME_LABELS[task.outcome] : (task.error?.message ?? "")}
            </span>
            <span className="task-list__meta">
              {task.createdBy} · <RelativeTime iso={task.createdAt} />
            </span>
          </Link>
          {task.pullRequest ? (
            <a
              href={task.pullRequest.url}
              target="_blank"
              rel="noreferrer noopener"
              className="small"
            >
              PR #{task.pullRequest.number}
              {task.pullRequest.draft ? " (draft)" : ""}
            </a>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
