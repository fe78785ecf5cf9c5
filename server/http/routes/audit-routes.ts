import { Router } from "express";
import type { TaskAuditResponse } from "../../../shared/audit.js";
import { TaskIdParamsSchema } from "../../../shared/task.js";
import type { TaskStore } from "../../domain/ports/task-store.js";
import { getTask } from "../../domain/tasks/get-task.js";
import { handle } from "../middleware/handler.js";

/**
 * The audit trail of a task: who started, followed up, retried or cancelled it, read
 * from the requests stored with it (task_requests). Readable by whoever may read the task
 * (see the access policy).
 */
export function auditRoutes(deps: { store: TaskStore }): Router {
  const router = Router();
  router.get(
    "/tasks/:id/audit",
    handle({ permission: "tasks:read", params: TaskIdParamsSchema }, async ({ params, res }) => {
      const task = await getTask(deps, params.id);
      const requests = await deps.store.listRequests(task.id);
      const body: TaskAuditResponse = {
        taskId: task.id,
        entries: requests.map(({ action, by, at, message }) => ({ action, by, at, message })),
      };
      res.json(body);
    }),
  );
  return router;
}
