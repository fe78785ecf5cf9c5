import { Router } from "express";
import type { ServicesResponse } from "../../../shared/service-status.js";
import type { ServiceStatusSource } from "../../domain/service-check/service-check.js";
import { handle } from "../middleware/handler.js";

/**
 * `GET /api/admin/services`: how the start-up check of the Codex, Jira and GitHub
 * credentials went, for admins (the same role that reads the task history). Empty when
 * the server ran no check (tests on in-memory fakes).
 */
export function serviceRoutes(deps: { serviceStatus?: ServiceStatusSource | undefined }): Router {
  const router = Router();
  router.get(
    "/admin/services",
    handle({ permission: "history:read" }, ({ res }) => {
      const body: ServicesResponse = { services: deps.serviceStatus?.list() ?? [] };
      res.json(body);
    }),
  );
  return router;
}
