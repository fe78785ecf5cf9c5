import { Router } from "express";
import type { TaskAuditResponse } from "../../../shared/audit.js";
import { TaskIdParamsSchema } from "../../../shared/task.js";
import type { TaskStore } from "../../domain/ports/task-store.js";
import { getTask } from "../../domain/tasks/get-task.js";
import { handle } from "../middleware/handler.js";

/**
 * The audit trail of a task: who started, followed up, retried or cancelled it, read
 * from the `task.request` events every such request records.
 */
export function auditRoutes(deps: { store: TaskStore }): Router {
  const router = Router();
  router.get(
    "/tasks/:id/audit",
    handle({ permission: "tasks:audit", params: TaskIdParamsSchema }, async ({ params, res }) => {
      const task = await getTask(deps, params.id);
      const events = await deps.store.listEvents(task.id);
      const body: TaskAuditResponse = {
        taskId: task.id,
        entries: events.flatMap((event) =>
          event.type === "task.request"
            ? [
                {
                  action: event.payload.action,
                  by: event.payload.by,
                  at: event.at,
                  message: event.payload.message,
                },
              ]
            : [],
        ),
      };
      res.json(body);
    }),
  );
  return router;
}
