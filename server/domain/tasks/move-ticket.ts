import type { Logger } from "pino";
import type { TaskDeps } from "../task-deps.js";
import { recordEvent } from "./record-event.js";

/** Who a ticket move is done for: the task whose log records it. */
export interface MoveTicketContext {
  deps: TaskDeps;
  taskId: string;
  log: Logger;
}

/**
 * Moves a ticket through a named Jira transition. A missing transition or a Jira
 * failure is logged on the task and never fatal (the fix matters more than the ticket's
 * column), so the returned promise never rejects.
 */
export async function moveTicket(
  ctx: MoveTicketContext,
  ticketKey: string,
  name: string,
): Promise<void> {
  let problem: string | null = null;
  try {
    if (!(await ctx.deps.tracker.transition(ticketKey, name))) {
      ctx.log.warn({ ticketKey, transition: name }, "jira transition not available");
      problem = `Jira has no transition "${name}" for ${ticketKey}; left as it is`;
    }
  } catch (error) {
    ctx.log.warn({ err: error, ticketKey, transition: name }, "jira transition failed");
    problem = `Could not move ${ticketKey} through "${name}"`;
  }
  if (problem === null) return;
  await recordEvent(ctx.deps, ctx.taskId, {
    type: "task.log",
    payload: { level: "warn", message: problem },
  }).catch((error: unknown) => ctx.log.error({ err: error }, "task event not recorded"));
}
