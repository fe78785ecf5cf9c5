import type { BaseConfig } from "../config/app-config.js";

/** Whether this process runs agents (roles `all` and `worker`). */
export function runsWorker(config: Pick<BaseConfig, "role">): boolean {
  return (config.role ?? "all") !== "api";
}

/** Whether this process serves the web app and the API (roles `all` and `api`). */
export function servesHttp(config: Pick<BaseConfig, "role">): boolean {
  return (config.role ?? "all") !== "worker";
}
