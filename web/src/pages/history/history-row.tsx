import { Link } from "react-router";
import type { Pricing, TaskSummary } from "../../../../shared/index.js";
import { RelativeTime } from "../../components/relative-time.js";
import { StatusPill } from "../../components/status-pill.js";
import { estimateCost, formatCost, totalTokens } from "../../lib/cost.js";
import { durationBetween, formatCompact, formatDuration, formatNumber } from "../../lib/format.js";
import { OUTCOME_LABELS } from "../../lib/task-labels.js";
import { TaskAudit } from "./task-audit.js";

/** One task in the History table. */
export function HistoryRow({ task, pricing }: { task: TaskSummary; pricing: Pricing | undefined }) {
  const duration = task.finishedAt ? durationBetween(task.startedAt, task.finishedAt) : null;
  const tokens = totalTokens(task.usage);
  return (
    <tr>
      <td className="history-what">
        <Link to={`/tasks/${task.id}`} className="mono">
          {task.ticketKey ?? "Prompt"}
        </Link>
        {task.title ? (
          <div className="small truncate" title={task.title}>
            {task.title}
          </div>
        ) : null}
        <div className="small muted truncate" title={task.repo}>
          {task.repo}
        </div>
      </td>
      <td className="truncate" title={task.createdBy}>
        {task.createdBy}
        <TaskAudit taskId={task.id} />
      </td>
      <td className="nowrap">
        <RelativeTime iso={task.startedAt ?? task.createdAt} />
      </td>
      <td className="nowrap num">{duration === null ? "—" : formatDuration(duration)}</td>
      <td>
        <StatusPill status={task.status} phase={task.phase} />
        {task.outcome ? <div className="small muted">{OUTCOME_LABELS[task.outcome]}</div> : null}
        {task.error ? (
          <div className="small muted">
            <code>{task.error.code}</code>
          </div>
        ) : null}
      </td>
      <td className="nowrap">
        {task.pullRequest ? (
          <a href={task.pullRequest.url} target="_blank" rel="noreferrer noopener">
            #{task.pullRequest.number}
            {task.pullRequest.draft ? " (draft)" : ""}
          </a>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td
        className="num nowrap"
        title={`${formatNumber(task.usage.inputTokens)} in (${formatNumber(task.usage.cachedInputTokens)} cached), ${formatNumber(task.usage.outputTokens)} out`}
      >
        {formatCompact(tokens)}
      </td>
      <td className="num nowrap">
        {pricing ? formatCost(estimateCost(task.usage, pricing), pricing.currency) : "—"}
      </td>
    </tr>
  );
}
