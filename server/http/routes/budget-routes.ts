import { Router } from "express";
import { SpendReportQuerySchema } from "../../../shared/budget.js";
import { TaskIdParamsSchema } from "../../../shared/task.js";
import { AppError } from "../../domain/app-error.js";
import type { BudgetMeter } from "../../domain/budgets/budget-meter.js";
import {
  getBudgetStatus,
  getSpendReport,
  getTaskSpend,
} from "../../domain/budgets/budget-status.js";
import type { TaskDeps } from "../../domain/task-deps.js";
import { getTask } from "../../domain/tasks/get-task.js";
import { handle } from "../middleware/handler.js";

function meterOf(deps: Pick<TaskDeps, "budgets">): BudgetMeter {
  if (deps.budgets === undefined) {
    throw new AppError("not_found", "This server does not meter model usage");
  }
  return deps.budgets;
}

/** Budgets and spend: the day's for everyone, a task's, and the admins' report. */
export function budgetRoutes(deps: Pick<TaskDeps, "budgets" | "store" | "repos">): Router {
  const router = Router();
  router.get(
    "/budget",
    handle({ permission: "tasks:read" }, async ({ user, res }) => {
      const repos = deps.repos.list().map((repo) => repo.github);
      res.json(await getBudgetStatus(meterOf(deps), { person: user.email, repos }));
    }),
  );
  router.get(
    "/budget/spend",
    handle(
      { permission: "history:read", query: SpendReportQuerySchema },
      async ({ query, res }) => {
        res.json(await getSpendReport(meterOf(deps), query));
      },
    ),
  );
  router.get(
    "/tasks/:id/spend",
    handle({ permission: "tasks:read", params: TaskIdParamsSchema }, async ({ params, res }) => {
      const task = await getTask(deps, params.id);
      res.json(await getTaskSpend(meterOf(deps), task.id));
    }),
  );
  return router;
}
