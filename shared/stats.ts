import { z } from "zod";
import { UsageSchema } from "./agent-event.js";

/** One day of the History page's summary. */
export const TaskStatsDaySchema = z.object({
  /** `YYYY-MM-DD`, UTC. */
  date: z.string(),
  tasks: z.number().int().nonnegative(),
  completed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  usage: UsageSchema,
});
/** One day of the summary. */
export type TaskStatsDay = z.infer<typeof TaskStatsDaySchema>;

/** `GET /api/tasks/stats` (admins): the figures on top of the History page, for the same filters. */
export const TaskStatsResponseSchema = z.object({
  days: z.array(TaskStatsDaySchema),
  total: z.number().int().nonnegative(),
  /** Completed over finished (completed, failed, cancelled); null when none finished. */
  successRate: z.number().min(0).max(1).nullable(),
  /** Median of finishedAt − startedAt over finished tasks, in milliseconds. */
  medianDurationMs: z.number().nonnegative().nullable(),
  usage: UsageSchema,
});
/** `GET /api/tasks/stats` */
export type TaskStatsResponse = z.infer<typeof TaskStatsResponseSchema>;
