import type { Task } from "../../../../shared/index.js";
import { PHASE_LABELS, phaseSteps } from "../../lib/task-labels.js";

type StepState = "done" | "current" | "upcoming" | "stopped";

/** The phases of a task as steps, the current one highlighted (or marked where it stopped). */
export function PhaseStepper({ task }: { task: Pick<Task, "kind" | "phase" | "status"> }) {
  const steps = phaseSteps(task.kind);
  const current = steps.indexOf(task.phase);
  const stopped =
    task.status === "failed" || task.status === "cancelled" || task.status === "setup_failed";
  const stateOf = (index: number): StepState => {
    if (task.phase === "done" && task.status === "completed") return "done";
    if (index < current) return "done";
    if (index === current) return stopped ? "stopped" : "current";
    return "upcoming";
  };
  return (
    <ol className="stepper" aria-label="Progress">
      {steps.map((phase, index) => {
        const state = stateOf(index);
        return (
          <li
            key={phase}
            className={`stepper__step stepper__step--${state}`}
            aria-current={state === "current" ? "step" : undefined}
          >
            <span className="stepper__marker" aria-hidden="true">
              {state === "done" ? "✓" : state === "stopped" ? "!" : index + 1}
            </span>
            <span className="stepper__label">{PHASE_LABELS[phase]}</span>
            {state === "stopped" ? <span className="visually-hidden"> (stopped here)</span> : null}
            {state === "done" ? <span className="visually-hidden"> (done)</span> : null}
          </li>
        );
      })}
    </ol>
  );
}
