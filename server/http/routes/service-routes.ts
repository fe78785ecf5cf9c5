import { Router } from "express";
import type { ServicesResponse } from "../../../shared/service-status.js";
import type { BudgetMeter } from "../../domain/budgets/budget-meter.js";
import { budgetServiceStatus } from "../../domain/budgets/budget-watch.js";
import type { ServiceStatusSource } from "../../domain/ports/service-status.js";
import type { JobQueue } from "../../domain/ports/job-queue.js";
import { handle } from "../middleware/handler.js";

/**
 * `GET /api/admin/services`: how the start-up check of the Codex, Jira and GitHub
 * credentials went, plus today's spend against the daily budgets (when any is set), for
 * admins (the same role that reads the task history). Empty when the server ran no check
 * and has no daily budget (tests on in-memory fakes). On PostgreSQL `queue` counts the
 * pg-boss jobs waiting, active and retrying, and the dead-lettered task runs.
 */
export function serviceRoutes(deps: {
  serviceStatus?: ServiceStatusSource | undefined;
  budgets?: BudgetMeter | undefined;
  jobQueue?: Pick<JobQueue, "stats"> | undefined;
}): Router {
  const router = Router();
  router.get(
    "/admin/services",
    handle({ permission: "history:read" }, async ({ res }) => {
      const budget =
        deps.budgets === undefined ? null : await budgetServiceStatus(deps.budgets.deps);
      const body: ServicesResponse = {
        services: [...(deps.serviceStatus?.list() ?? []), ...(budget === null ? [] : [budget])],
        ...(deps.jobQueue === undefined ? {} : { queue: await deps.jobQueue.stats() }),
      };
      res.json(body);
    }),
  );
  return router;
}
