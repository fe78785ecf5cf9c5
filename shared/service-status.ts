import { z } from "zod";
import { ErrorCodeSchema } from "./errors.js";

/**
 * The upstream services Patchboard needs, each checked once at start-up, and the day's
 * model budgets (`budget`), checked at each read when a daily budget is configured.
 */
export const ServiceNameSchema = z.enum(["codex", "jira", "github", "isolation", "budget"]);
/** An upstream service. */
export type ServiceName = z.infer<typeof ServiceNameSchema>;

/** How the start-up check of one service went. */
export const ServiceStatusSchema = z.object({
  name: ServiceNameSchema,
  /**
   * `pending` until the check has answered; `warning` when it works but needs an eye
   * (a daily budget 80 % spent or more).
   */
  state: z.enum(["pending", "ok", "warning", "failed"]),
  /** Why it failed (`codex_auth`, `jira_unavailable`…), or `budget_exceeded` for a spent budget; null otherwise. */
  code: ErrorCodeSchema.nullable(),
  /** What is wrong and how to fix it, in words; null unless failed or warning. */
  message: z.string().nullable(),
  /** ISO 8601; null while pending. */
  checkedAt: z.string().nullable(),
});
/** How the start-up check of one service went. */
export type ServiceStatus = z.infer<typeof ServiceStatusSchema>;

/** How many jobs of one queue are in each state (PostgreSQL's pg-boss queue). */
export const QueueCountsSchema = z.object({
  /** Waiting for a worker (including those whose retry is due later). */
  waiting: z.number().int().nonnegative(),
  /** Handed to a worker and not yet completed or failed. */
  active: z.number().int().nonnegative(),
  /** Failed, waiting to be tried again after their backoff. */
  retrying: z.number().int().nonnegative(),
});
/** How many jobs of one queue are in each state. */
export type QueueCounts = z.infer<typeof QueueCountsSchema>;

/** The job queue of a PostgreSQL deployment, at the time of the request. */
export const JobQueueStatsSchema = z.object({
  /** Task runs waiting for, or handed to, a worker. */
  taskRuns: QueueCountsSchema,
  /** Task runs that failed every retry and wait for (or are in) their dead-letter handling. */
  deadTaskRuns: QueueCountsSchema,
  /** Scheduled review runs. */
  reviewRuns: QueueCountsSchema,
});
/** The job queue of a PostgreSQL deployment. */
export type JobQueueStats = z.infer<typeof JobQueueStatsSchema>;

/** `GET /api/admin/services` (admins only); `queue` on PostgreSQL only. */
export const ServicesResponseSchema = z.object({
  services: z.array(ServiceStatusSchema),
  queue: JobQueueStatsSchema.optional(),
});
/** `GET /api/admin/services`. */
export type ServicesResponse = z.infer<typeof ServicesResponseSchema>;
