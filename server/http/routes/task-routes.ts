import { Router, type Response } from "express";
import {
  CreatePromptTaskRequestSchema,
  CreateTaskRequestSchema,
  FollowUpRequestSchema,
  TaskIdParamsSchema,
  TaskListQuerySchema,
  type TaskListResponse,
  type TaskResponse,
} from "../../../shared/task.js";
import type { RunGate } from "../../domain/ports/run-gate.js";
import type { TaskQueue } from "../../domain/ports/task-queue.js";
import type { TaskDeps } from "../../domain/task-deps.js";
import { cancelTask } from "../../domain/tasks/cancel-task.js";
import { createFixTask } from "../../domain/tasks/create-fix-task.js";
import { createPromptTask } from "../../domain/tasks/create-prompt-task.js";
import { getTask } from "../../domain/tasks/get-task.js";
import { retryTask } from "../../domain/tasks/retry-task.js";
import { sendFollowUp } from "../../domain/tasks/send-follow-up.js";
import type { TaskDiffs } from "../../domain/tasks/task-diffs.js";
import { handle } from "../middleware/handler.js";

/** Dependencies of the task routes. */
export type TaskRouteDeps = TaskDeps & { queue: TaskQueue; gate: RunGate; diffs: TaskDiffs };

/** Creating, reading and steering tasks. */
export function taskRoutes(deps: TaskRouteDeps): Router {
  const router = Router();
  const reply = (res: Response, status: number, task: TaskResponse["task"]) => {
    const body: TaskResponse = { task };
    res.status(status).json(body);
  };

  router.post(
    "/tasks",
    handle(
      { permission: "tasks:create", body: CreateTaskRequestSchema },
      async ({ body, user, res }) => {
        const { task, created } = await createFixTask(deps, { ...body, user });
        reply(res, created ? 202 : 200, task);
      },
    ),
  );

  router.post(
    "/codex/task",
    handle(
      { permission: "prompt_tasks:create", body: CreatePromptTaskRequestSchema },
      async ({ body, user, res }) => {
        reply(res, 202, await createPromptTask(deps, { ...body, user }));
      },
    ),
  );

  router.get(
    "/tasks",
    handle({ permission: "tasks:read", query: TaskListQuerySchema }, async ({ query, res }) => {
      const body: TaskListResponse = await deps.store.list(query);
      res.json(body);
    }),
  );

  router.get(
    "/tasks/:id",
    handle({ permission: "tasks:read", params: TaskIdParamsSchema }, async ({ params, res }) => {
      reply(res, 200, await getTask(deps, params.id));
    }),
  );

  router.get(
    "/tasks/:id/diff",
    handle(
      { permission: "tasks:read", params: TaskIdParamsSchema },
      async ({ params, user, res }) => {
        const diff = await deps.diffs.read(user, params.id);
        res.type("text/plain; charset=utf-8").send(diff);
      },
    ),
  );

  router.post(
    "/tasks/:id/messages",
    handle(
      { permission: "tasks:follow_up", params: TaskIdParamsSchema, body: FollowUpRequestSchema },
      async ({ params, body, user, res }) => {
        reply(
          res,
          202,
          await sendFollowUp(deps, {
            taskId: params.id,
            message: body.message,
            addBudget: body.addBudget,
            user,
          }),
        );
      },
    ),
  );

  router.post(
    "/tasks/:id/cancel",
    handle(
      { permission: "tasks:cancel", params: TaskIdParamsSchema },
      async ({ params, user, res }) => {
        reply(res, 202, await cancelTask(deps, { taskId: params.id, user }));
      },
    ),
  );

  router.post(
    "/tasks/:id/retry",
    handle(
      { permission: "tasks:retry", params: TaskIdParamsSchema },
      async ({ params, user, res }) => {
        reply(res, 202, await retryTask(deps, { taskId: params.id, user }));
      },
    ),
  );
  return router;
}
