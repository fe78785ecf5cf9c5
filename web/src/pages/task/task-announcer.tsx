import { useState } from "react";
import type { Task } from "../../../../shared/index.js";
import { PHASE_LABELS, STATUS_LABELS } from "../../lib/task-labels.js";

/** A task's status in words, with the phase while it runs ("Running: Fixing"). */
export function taskStatusText(task: Pick<Task, "status" | "phase">): string {
  return task.status === "running"
    ? `${STATUS_LABELS.running}: ${PHASE_LABELS[task.phase]}`
    : STATUS_LABELS[task.status];
}

interface Seen {
  status: string;
  pullRequest: number | null;
  message: string;
}

/**
 * The one polite live region of a task page. It holds the latest change worth hearing:
 * the status and phase, and the pull request when it arrives ("Completed. Pull request #12
 * opened."). Log lines, commands and messages never go through it, so a screen reader is
 * not read the agent's every step; the timeline is there to be read at will.
 */
export function TaskAnnouncer({ task }: { task: Pick<Task, "status" | "phase" | "pullRequest"> }) {
  const status = taskStatusText(task);
  const pullRequest = task.pullRequest?.number ?? null;
  const [seen, setSeen] = useState<Seen>({ status, pullRequest, message: `${status}.` });
  // Derived from the previous render (React's "adjust state on a prop change"): only what
  // changed is said, once.
  if (seen.status !== status || seen.pullRequest !== pullRequest) {
    const changes: string[] = [];
    if (seen.status !== status) changes.push(`${status}.`);
    if (pullRequest !== null && seen.pullRequest !== pullRequest) {
      changes.push(`Pull request #${pullRequest} opened.`);
    }
    setSeen({
      status,
      pullRequest,
      message: changes.length > 0 ? changes.join(" ") : seen.message,
    });
  }
  return (
    <div
      role="status"
      aria-live="polite"
      aria-atomic="true"
      aria-label="Task status"
      className="visually-hidden"
    >
      {seen.message}
    </div>
  );
}
