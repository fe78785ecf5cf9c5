import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo } from "react";
import { isFinalStatus } from "../../../../shared/index.js";
import type { Task, TaskEvent } from "../../../../shared/index.js";
import { queryKeys } from "../../api/query-keys.js";
import { canUseAgentTools, useCurrentUser } from "../../hooks/use-current-user.js";
import { useTaskEvents } from "../../hooks/use-task-events.js";
import { deriveActivity } from "../../lib/task-activity.js";
import { PHASE_LABELS, STATUS_LABELS, isActiveStatus } from "../../lib/task-labels.js";
import { StatusPill } from "../../components/status-pill.js";
import { ActivityTimeline } from "./activity-timeline.js";
import { AnalysisCard } from "./analysis-card.js";
import { ChangedFilesCard } from "./changed-files-card.js";
import { DiffView } from "./diff-view.js";
import { ElapsedTime } from "./elapsed-time.js";
import { FollowUpForm } from "./follow-up-form.js";
import { OutcomeCard } from "./outcome-card.js";
import { PhaseStepper } from "./phase-stepper.js";
import { PullRequestCard } from "./pull-request-card.js";
import { StreamStatus } from "./stream-status.js";
import { TaskActions } from "./task-actions.js";
import { TaskDetailsCard } from "./task-details-card.js";
import { TaskErrorCard } from "./task-error-card.js";
import { TaskTitle } from "./task-title.js";
import { TodoCard } from "./todo-card.js";
import { UsageCard } from "./usage-card.js";

const REFRESHING_EVENTS = new Set<TaskEvent["type"]>([
  "task.status",
  "task.pull_request",
  "task.analysis",
]);

interface TaskLiveProps {
  task: Task;
  /** When the task data was last fetched (ms). */
  updatedAt: number;
}

/** A task with its live stream: status, progress, what the agent does, the result. */
export function TaskLive({ task, updatedAt }: TaskLiveProps) {
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const refresh = useCallback(
    (withDiff: boolean) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.task(task.id) });
      if (withDiff) void queryClient.invalidateQueries({ queryKey: queryKeys.taskDiff(task.id) });
    },
    [queryClient, task.id],
  );
  const onEvent = useCallback(
    (event: TaskEvent) => {
      if (!REFRESHING_EVENTS.has(event.type)) return;
      const final = event.type === "task.status" && isFinalStatus(event.payload.status);
      refresh(final || event.type === "task.pull_request");
    },
    [refresh],
  );
  const onEnd = useCallback(() => {
    refresh(true);
    void queryClient.invalidateQueries({ queryKey: queryKeys.allTasks });
  }, [queryClient, refresh]);
  const stream = useTaskEvents(task.id, onEvent, onEnd);
  const activity = useMemo(() => deriveActivity(stream.events), [stream.events]);
  const { resume } = stream;

  // The stream ended, but fresh data says the task runs again (retried elsewhere): follow it.
  useEffect(() => {
    if (
      stream.state === "ended" &&
      stream.endedAt !== null &&
      updatedAt > stream.endedAt &&
      isActiveStatus(task.status)
    ) {
      resume();
    }
  }, [stream.state, stream.endedAt, updatedAt, task.status, resume]);

  const active = isActiveStatus(task.status);
  const diffReady = Boolean(task.branch || task.pullRequest || isFinalStatus(task.status));
  const statusText =
    task.status === "running"
      ? `${STATUS_LABELS.running}: ${PHASE_LABELS[task.phase]}`
      : STATUS_LABELS[task.status];

  return (
    <>
      <div className="page__head">
        <TaskTitle task={task} />
        <TaskActions task={task} onRestarted={resume} />
      </div>
      <div className="task-status">
        <div
          role="status"
          aria-live="polite"
          aria-atomic="true"
          aria-label="Task status"
          className="task-status__pill"
        >
          <StatusPill status={task.status} phase={task.phase} />
          <span className="visually-hidden">{statusText}</span>
        </div>
        <ElapsedTime task={task} />
        <StreamStatus state={stream.state} onReconnect={resume} />
      </div>
      <PhaseStepper task={task} />
      {stream.unreadable ? (
        <div className="callout callout--warning small" role="alert">
          {stream.unreadable.count} live update{stream.unreadable.count === 1 ? "" : "s"} could not
          be read (the server answered something this page does not understand).
          <details>
            <summary>Details</summary>
            <pre>{stream.unreadable.details}</pre>
          </details>
        </div>
      ) : null}
      {task.error && (task.status === "failed" || task.status === "cancelled") ? (
        <TaskErrorCard error={task.error} />
      ) : null}
      {task.pullRequest ? (
        <PullRequestCard pullRequest={task.pullRequest} branch={task.branch} />
      ) : null}
      <div className="split">
        <div className="split__main">
          {task.status === "completed" ? <OutcomeCard task={task} /> : null}
          {task.analysis ? <AnalysisCard analysis={task.analysis} /> : null}
          <ActivityTimeline entries={activity.timeline} waiting={active} />
          {canUseAgentTools(user.role) ? <FollowUpForm task={task} onSent={resume} /> : null}
          <DiffView taskId={task.id} enabled={diffReady} />
        </div>
        <aside className="split__side">
          <TodoCard todo={activity.todo} />
          <ChangedFilesCard files={activity.changedFiles} />
          <UsageCard usage={task.usage} />
          <TaskDetailsCard task={task} />
        </aside>
      </div>
    </>
  );
}
