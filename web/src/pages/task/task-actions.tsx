import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Task } from "../../../../shared/index.js";
import { cancelTask, retryTask } from "../../api/endpoints.js";
import { queryKeys } from "../../api/query-keys.js";
import { ErrorPanel } from "../../components/error-panel.js";

interface TaskActionsProps {
  task: Task;
  /** Called after a retry was accepted, to reopen the live stream. */
  onRestarted: () => void;
}

/** Cancel while queued or running; Retry when failed or cancelled. */
export function TaskActions({ task, onRestarted }: TaskActionsProps) {
  const queryClient = useQueryClient();
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.task(task.id) });
    void queryClient.invalidateQueries({ queryKey: queryKeys.allTasks });
    void queryClient.invalidateQueries({ queryKey: queryKeys.allTickets });
  };
  const cancel = useMutation({ mutationFn: () => cancelTask(task.id), onSuccess: refresh });
  const retry = useMutation({
    mutationFn: () => retryTask(task.id),
    onSuccess: () => {
      refresh();
      onRestarted();
    },
  });
  const canCancel = task.status === "queued" || task.status === "running";
  const canRetry =
    task.status === "failed" || task.status === "cancelled" || task.status === "setup_failed";
  const error = cancel.error ?? retry.error;
  return (
    <div className="task-actions">
      {canCancel ? (
        <button
          type="button"
          className="button button--danger"
          disabled={cancel.isPending}
          onClick={() => cancel.mutate()}
        >
          {cancel.isPending ? "Cancelling…" : "Cancel"}
        </button>
      ) : null}
      {canRetry ? (
        <button
          type="button"
          className="button button--primary"
          disabled={retry.isPending}
          onClick={() => retry.mutate()}
        >
          {retry.isPending ? "Retrying…" : "Retry"}
        </button>
      ) : null}
      {error ? <ErrorPanel error={error} action={cancel.error ? "cancel" : "retry"} /> : null}
    </div>
  );
}
