import type { TaskKind, TaskOutcome, TaskPhase, TaskStatus } from "../../../shared/index.js";

/** Words for each status. */
export const STATUS_LABELS: Record<TaskStatus, string> = {
  queued: "Queued",
  running: "Running",
  completed: "Completed",
  failed: "Failed",
  cancelled: "Cancelled",
  setup_failed: "Setup failed",
};

/** Words for each phase. */
export const PHASE_LABELS: Record<TaskPhase, string> = {
  queued: "Queued",
  preparing: "Preparing environment",
  analyzing: "Analyzing",
  fixing: "Fixing",
  working: "Working",
  publishing: "Publishing",
  done: "Done",
};

/** Words for each outcome. */
export const OUTCOME_LABELS: Record<TaskOutcome, string> = {
  pr_opened: "Pull request opened",
  no_changes: "No changes needed",
  not_fixable: "Not fixable in code",
  answered: "Answered",
};

/** The phases a task of this kind goes through, in order. */
export function phaseSteps(kind: TaskKind): TaskPhase[] {
  return kind === "prompt"
    ? ["queued", "preparing", "working", "done"]
    : ["queued", "preparing", "analyzing", "fixing", "publishing", "done"];
}

/** Whether the task may still change without anyone acting. */
export function isActiveStatus(status: TaskStatus): boolean {
  return status === "queued" || status === "running";
}
