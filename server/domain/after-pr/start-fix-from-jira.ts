import { ZodError } from "zod";
import type { Task } from "../../../shared/task.js";
import { AppError } from "../app-error.js";
import type { WebhookDeliveryStore } from "../ports/pull-request-store.js";
import type { TaskQueue } from "../ports/task-queue.js";
import type { TaskDeps } from "../task-deps.js";
import { createFixTask } from "../tasks/create-fix-task.js";
import { readJiraAutomation, readJiraWebhook, type JiraReading } from "./jira-trigger.js";
import type { RunGate } from "../ports/run-gate.js";

/** What a Jira delivery did. */
export type JiraOutcome =
  | { status: "started" | "already_active"; task: Task }
  | { status: "ignored"; reason: string }
  | { status: "duplicate" };

/**
 * Jira asked for a fix (the trigger label on an issue of a mapped project): starts it as
 * if a person clicked — one active task per ticket — recorded as started by Jira and,
 * when the payload says, by whom. A delivery id seen before does nothing.
 *
 * @throws AppError `validation_error` for a body that is not Jira's.
 */
export async function startFixFromJira(
  deps: Pick<TaskDeps, "store" | "hub" | "tracker" | "repos" | "now" | "logger"> & {
    gate: RunGate;
    queue: TaskQueue;
    deliveries: WebhookDeliveryStore;
  },
  input: {
    via: "webhook" | "automation";
    payload: unknown;
    label: string;
    /** Jira Cloud's `X-Atlassian-Webhook-Identifier`, when sent. */
    deliveryId: string | null;
  },
): Promise<JiraOutcome> {
  let reading: JiraReading;
  try {
    reading =
      input.via === "webhook"
        ? readJiraWebhook(input.payload, input.label)
        : readJiraAutomation(input.payload, input.label);
  } catch (error) {
    if (!(error instanceof ZodError)) throw error;
    throw new AppError("validation_error", "The body is not a Jira issue event", { cause: error });
  }
  if ("ignored" in reading) return { status: "ignored", reason: reading.ignored };
  const { ticketKey, by } = reading.trigger;
  if (deps.repos.forTicket(ticketKey) === undefined) {
    return { status: "ignored", reason: `${ticketKey} is not in a mapped project` };
  }
  if (input.deliveryId !== null) {
    const claimed = await deps.deliveries.claim({
      source: "jira",
      id: input.deliveryId,
      event: input.via,
      at: deps.now().toISOString(),
    });
    if (!claimed) return { status: "duplicate" };
  }
  const email = by === null ? "jira" : `jira:${by}`;
  const result = await createFixTask(deps, {
    ticketKey,
    user: { email, name: by ?? "Jira", role: "pm" },
    source: "jira",
  });
  deps.logger.info(
    { ticketKey, by, created: result.created, taskId: result.task.id },
    "jira asked for a fix",
  );
  return { status: result.created ? "started" : "already_active", task: result.task };
}
