import type { TaskPhase, TaskStatus } from "../../../shared/index.js";
import { PHASE_LABELS, STATUS_LABELS } from "../lib/task-labels.js";

interface StatusPillProps {
  status: TaskStatus;
  /** Shown after the status while the task runs. */
  phase?: TaskPhase | undefined;
}

/** A task's status as a coloured pill with words (colour is never the only cue). */
export function StatusPill({ status, phase }: StatusPillProps) {
  const showPhase = phase && status === "running" && phase !== "done" && phase !== "queued";
  return (
    <span className={`pill pill--${status}`}>
      <span className="pill__dot" aria-hidden="true" />
      {STATUS_LABELS[status]}
      {showPhase ? <span className="pill__phase"> · {PHASE_LABELS[phase]}</span> : null}
    </span>
  );
}
