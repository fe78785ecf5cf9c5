import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { isApiStatus } from "../../api/api-error.js";
import { fetchTask } from "../../api/endpoints.js";
import { queryKeys } from "../../api/query-keys.js";
import { ErrorPanel } from "../../components/error-panel.js";
import { LoadingState } from "../../components/loading-state.js";
import { TaskLive } from "./task-live.js";

function TaskView({ id }: { id: string }) {
  const task = useQuery({
    queryKey: queryKeys.task(id),
    queryFn: ({ signal }) => fetchTask(id, signal),
  });
  if (task.isPending) return <LoadingState label="Loading the task…" />;
  if (task.isError) {
    return (
      <>
        {isApiStatus(task.error, 404) ? <h1>Task not found</h1> : null}
        <ErrorPanel error={task.error} action="load the task" onRetry={() => void task.refetch()} />
      </>
    );
  }
  return <TaskLive task={task.data} updatedAt={task.dataUpdatedAt} />;
}

/** A task, live while it runs. Keyed by id so a new task starts a fresh stream. */
export function TaskPage() {
  const { id = "" } = useParams();
  return (
    <section className="page">
      <Link to="/" className="back-link">
        ← Tickets
      </Link>
      <TaskView key={id} id={id} />
    </section>
  );
}
