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

/** What became of the pull requests Patchboard opened, for one period or one repository. */
export const PullRequestFiguresSchema = z.object({
  /**
   * The group: `YYYY-MM-DD` (UTC day the pull request opened; for weeks, the week's
   * Monday), `YYYY-MM` (month), `owner/name` (repository) or `total`.
   */
  key: z.string(),
  opened: z.number().int().nonnegative(),
  merged: z.number().int().nonnegative(),
  closed: z.number().int().nonnegative(),
  /** Merged over ended (merged or closed); null when none ended. */
  mergeRate: z.number().min(0).max(1).nullable(),
  /** Median from the click (task created) to the pull request, in milliseconds. */
  medianClickToPrMs: z.number().nonnegative().nullable(),
  /** Median from the pull request to its merge, in milliseconds. */
  medianPrToMergeMs: z.number().nonnegative().nullable(),
  /** Pull requests whose first checks passed, over those with a first verdict. */
  firstPushGreenRate: z.number().min(0).max(1).nullable(),
  /** Follow-up rounds (CI and review) per pull request. */
  roundsPerPr: z.number().nonnegative().nullable(),
  /** Tokens of the tasks whose pull request merged (cost per merged PR = their price / merged). */
  mergedUsage: UsageSchema,
  /** `mergedUsage` at the configured prices (`PRICE_*`), in `PRICE_CURRENCY`. */
  mergedCost: z.number().nonnegative().optional(),
  /** `mergedCost` over the pull requests merged; null when none merged. */
  costPerMergedPr: z.number().nonnegative().nullable().optional(),
});
/** What became of the pull requests, for one period or repository. */
export type PullRequestFigures = z.infer<typeof PullRequestFiguresSchema>;

/** `GET /api/tasks/stats` (admins): the figures on top of the History page, for the same filters. */
export const TaskStatsResponseSchema = z.object({
  days: z.array(TaskStatsDaySchema),
  total: z.number().int().nonnegative(),
  /** Completed over finished (completed, failed, cancelled); null when none finished. */
  successRate: z.number().min(0).max(1).nullable(),
  /** Median of finishedAt − startedAt over finished tasks, in milliseconds. */
  medianDurationMs: z.number().nonnegative().nullable(),
  usage: UsageSchema,
  /** Pull request outcomes, in total, per day opened and per repository (absent before 0006). */
  pullRequests: z
    .object({
      total: PullRequestFiguresSchema,
      days: z.array(PullRequestFiguresSchema),
      /** Per ISO week opened (Monday to Sunday, UTC), keyed by its Monday. */
      weeks: z.array(PullRequestFiguresSchema),
      /** Per calendar month opened (UTC), `YYYY-MM`. */
      months: z.array(PullRequestFiguresSchema),
      repos: z.array(PullRequestFiguresSchema),
    })
    .optional(),
});
/** `GET /api/tasks/stats` */
export type TaskStatsResponse = z.infer<typeof TaskStatsResponseSchema>;
