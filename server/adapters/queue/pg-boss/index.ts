export {
  startPgBossJobQueue,
  PG_BOSS_SCHEMA,
  QUEUES,
  type PgBossJobQueueOptions,
  type TaskRunRetries,
} from "./pg-boss-job-queue.js";
