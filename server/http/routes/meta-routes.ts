import { Router } from "express";
import type { SettingsResponse } from "../../../shared/settings.js";
import type { HealthResponse } from "../../../shared/user.js";
import type { BaseConfig } from "../../config/app-config.js";
import type { RepoRegistry } from "../../domain/repo-registry.js";
import { handle } from "../middleware/handler.js";

/** Health (public) and the installation's settings for the dashboard. */
export function metaRoutes(deps: {
  config: Pick<BaseConfig, "mode" | "version" | "pricing">;
  jiraBaseUrl: string;
  repos: RepoRegistry;
}): Router {
  const router = Router();
  router.get(
    "/health",
    handle({ permission: "public" }, ({ res }) => {
      const body: HealthResponse = {
        status: "ok",
        mode: deps.config.mode,
        version: deps.config.version,
      };
      res.json(body);
    }),
  );
  router.get(
    "/settings",
    handle({ permission: "settings:read" }, ({ res }) => {
      const body: SettingsResponse = {
        mode: deps.config.mode,
        jiraBaseUrl: deps.jiraBaseUrl,
        repos: deps.repos.list().map((r) => ({
          github: r.github,
          jiraProject: r.jiraProject,
          baseBranch: r.baseBranch,
        })),
        pricing: deps.config.pricing,
      };
      res.json(body);
    }),
  );
  return router;
}
