import type { Logger } from "pino";
import { createSlotLeaseStore, type Database } from "../adapters/storage/index.js";
import type { AppConfig } from "../config/app-config.js";
import { LeasedAgentSlots } from "../domain/slots/leased-agent-slots.js";
import { DEFAULT_TASK_LEASE_MS, workerIdentity } from "./task-queue-services.js";

/**
 * The agent slots of this worker, shared by every process that runs with its DATA_DIR:
 * the server (`npm start`, `npm run worker`) and `npm run review` share one pool of
 * `MAX_CONCURRENT_TASKS` slots in the database. The pool's key is the worker's name in
 * `DATA_DIR/worker-id` (hostname and a random suffix): a review started with the
 * server's DATA_DIR (on SQLite it must, to reach its database) joins the server's pool,
 * while workers with DATA_DIRs of their own keep a pool each, as `MAX_CONCURRENT_TASKS`
 * is per worker. Leases are `TASK_LEASE_MS`, so a killed process's slots come back
 * within that time.
 */
export function buildAgentSlots(config: AppConfig, db: Database, logger: Logger): LeasedAgentSlots {
  const worker = workerIdentity(config);
  return new LeasedAgentSlots({
    store: createSlotLeaseStore(db),
    pool: worker.id,
    holder: `${worker.id}/${process.pid}`,
    capacity: config.tasks.maxConcurrent,
    leaseMs: config.tasks.leaseMs ?? DEFAULT_TASK_LEASE_MS,
    logger: logger.child({ component: "agent-slots" }),
  });
}
