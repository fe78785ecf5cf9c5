import type { TaskDeps } from "../task-deps.js";
import { recordEvent } from "../tasks/record-event.js";
import { redactingCodeHost, redactingTracker, redactingWorkspaces } from "./redacting-ports.js";
import { PATTERN_REDACTOR } from "./redactor.js";

/**
 * The task's dependencies with its outgoing text redacted at the ports: Jira comments,
 * pull request titles, bodies and comments, and commit messages. Each redaction leaves a
 * `task.log` line on the task saying what kind of secret was removed from where.
 */
export function withTaskRedaction(deps: TaskDeps, taskId: string): TaskDeps {
  const redactor = deps.redactor ?? PATTERN_REDACTOR;
  const onRedacted = async (where: string, found: string[]): Promise<void> => {
    deps.logger.warn({ taskId, where, found }, "secret redacted from outgoing text");
    await recordEvent(deps, taskId, {
      type: "task.log",
      payload: {
        level: "warn",
        message: `Redacted ${found.join(", ")} from ${where} before sending it`,
      },
    });
  };
  return {
    ...deps,
    tracker: redactingTracker(deps.tracker, redactor, onRedacted),
    codeHost: redactingCodeHost(deps.codeHost, redactor, onRedacted),
    workspaces: redactingWorkspaces(deps.workspaces, redactor, onRedacted),
  };
}
