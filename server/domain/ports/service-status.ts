import type { ServiceStatus } from "../../../shared/service-status.js";

/** Where the routes read the start-up check results from. */
export interface ServiceStatusSource {
  /** The latest result of each service, in probe order. */
  list(): ServiceStatus[];
}
