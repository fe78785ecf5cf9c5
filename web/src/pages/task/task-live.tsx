import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo } from "react";
import { isFinalStatus } from "../../../../shared/index.js";
import type { Task, TaskEvent } from "../../../../shared/index.js";
import { queryKeys } from "../../api/query-keys.js";
import { canUseAgentTools, useCurrentUser } from "../../hooks/use-current-user.js";
import { useTaskEvents } from "../../hooks/use-task-events.js";
import { deriveActivity } from "../../lib/task-activity.js";
import { isActiveStatus } from "../../lib/task-labels.js";
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
import { PullRequestRoundsCard } from "./pull-request-rounds-card.js";
import { derivePullRequestRounds } from "../../lib/pull-request-rounds.js";
import { StreamStatus } from "./stream-status.js";
import { TaskAnnouncer } from "./task-announcer.js";
import { TaskActions } from "./task-actions.js";
import { TaskDetailsCard } from "./task-details-card.js";
import { TaskErrorCard } from "./task-error-card.js";
import { TaskTitle } from "./task-title.js";
import { TodoCard } from "./todo-card.js";
import { UsageCard } from "./usage-card.js";
import { AgentContextCard } from "./agent-context-card.js";
import { EnvironmentOutputCard } from "./environment-output-card.js";
import { TestVerdictCard } from "./test-verdict-card.js";

const REFRESHING_EVENTS = new Set<TaskEvent["type"]>([
  "task.status",
  "task.pull_request",
  "task.analysis",
  "task.usage",
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
      void queryClient.invalidateQueries({ queryKey: queryKeys.taskSpend(task.id) });
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
  const rounds = useMemo(() => derivePullRequestRounds(stream.events), [stream.events]);
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
  const setupText = (activity.output.setup ?? "") + (activity.output.maintenance ?? "");
  const diffReady = Boolean(task.branch || task.pullRequest || isFinalStatus(task.status));
  return (
    <>
      <div className="page__head">
        <TaskTitle task={task} />
        <TaskActions task={task} onRestarted={resume} />
      </div>
      <div className="task-status">
        <div className="task-status__pill">
          <StatusPill status={task.status} phase={task.phase} />
        </div>
        <TaskAnnouncer task={task} />
        <ElapsedTime task={task} />
        <StreamStatus state={stream.state} refusal={stream.refusal} onReconnect={resume} />
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
      {task.error &&
      (task.status === "failed" ||
        task.status === "cancelled" ||
        task.status === "setup_failed") ? (
        <TaskErrorCard error={task.error} />
      ) : null}
      {task.pullRequest ? (
        <PullRequestCard pullRequest={task.pullRequest} branch={task.branch} />
      ) : null}
      <div className="split">
        <div className="split__main">
          {task.status === "completed" ? <OutcomeCard task={task} /> : null}
          {setupText && (task.phase === "preparing" || task.status === "setup_failed") ? (
            <EnvironmentOutputCard title="Preparing environment: setup output" text={setupText} />
          ) : null}
          <PullRequestRoundsCard rounds={rounds} />
          {activity.verdict ? <TestVerdictCard verdict={activity.verdict} /> : null}
          {task.analysis ? <AnalysisCard analysis={task.analysis} /> : null}
          <ActivityTimeline entries={activity.timeline} waiting={active} />
          {canUseAgentTools(user.role) ? <FollowUpForm task={task} onSent={resume} /> : null}
          <DiffView taskId={task.id} enabled={diffReady} />
        </div>
        <aside className="split__side">
          <TodoCard todo={activity.todo} />
          <ChangedFilesCard files={activity.changedFiles} />
          <UsageCard usage={task.usage} taskId={task.id} />
          <TaskDetailsCard task={task} />
          {activity.context ? <AgentContextCard context={activity.context} /> : null}
        </aside>
      </div>
    </>
  );
}
