import { CronJob } from "cron";
import type { Logger } from "pino";
import { createSlackWebhook } from "../adapters/slack/index.js";
import { createReviewStore, type Database } from "../adapters/storage/index.js";
import type { AppConfig, ReviewConfig } from "../config/app-config.js";
import type { AgentSlots } from "../domain/reviews/agent-slots.js";
import type { PullRequestCheckouts } from "../domain/reviews/review-ports.js";
import { parseReviewSchedule } from "../domain/reviews/review-schedule.js";
import { ReviewService, type ReviewServiceOptions } from "../domain/reviews/review-service.js";
import type { TaskDeps } from "../domain/task-deps.js";

/** The review settings when a hand-built configuration (a test's) has none: no schedule, no Slack. */
export const DEFAULT_REVIEW_CONFIG: ReviewConfig = {
  cron: "0 2 * * *",
  timeZone: "UTC",
  windowHours: 24,
  commentOnPr: false,
  slackWebhookUrl: null,
};

/** What {@link buildReviewService} wires together. */
export interface ReviewServiceParts {
  config: AppConfig;
  /** The task domain's adapters: the reviews use the same GitHub, Jira, agent and repositories. */
  deps: Pick<TaskDeps, "codeHost" | "tracker" | "agent" | "repos" | "settings" | "now">;
  /** The real git worktrees (they can check out pull requests). */
  checkouts: PullRequestCheckouts;
  db: Database;
  /** The agent concurrency limit, shared with the task runner. */
  slots: AgentSlots;
  logger: Logger;
  options?: ReviewServiceOptions;
}

/** The nightly review service on the server's own adapters and database. */
export function buildReviewService(parts: ReviewServiceParts): ReviewService {
  const { config, deps, logger } = parts;
  const reviews = config.reviews ?? DEFAULT_REVIEW_CONFIG;
  const log = logger.child({ component: "reviews" });
  return new ReviewService(
    {
      store: createReviewStore(parts.db),
      codeHost: deps.codeHost,
      tracker: deps.tracker,
      checkouts: parts.checkouts,
      agent: deps.agent,
      notifier:
        reviews.slackWebhookUrl === null
          ? null
          : createSlackWebhook({
              url: reviews.slackWebhookUrl,
              logger: logger.child({ adapter: "slack" }),
            }),
      repos: deps.repos,
      slots: parts.slots,
      settings: {
        windowHours: reviews.windowHours,
        commentOnPr: reviews.commentOnPr,
        turnTimeoutMs: deps.settings.turnTimeoutMs,
        jiraBaseUrl: config.jira.baseUrl,
      },
      logger: log,
      now: deps.now,
    },
    parts.options,
  );
}

/** The running schedule. */
export interface ReviewScheduler {
  /** When the next scheduled run starts. */
  nextRunAt(): Date;
  /** Stops scheduling; a run in progress is left to the service's own stop. */
  stop(): void;
}

/**
 * Starts `REVIEW_CRON` in `REVIEW_TZ` with the `cron` package, inside the server. Each
 * tick runs one pass; a tick while a run is going (here or in another process) is
 * skipped by the database lock, so runs never overlap. Null when the configuration has
 * no review section (a hand-built test configuration): nothing is scheduled.
 */
export function startReviewScheduler(
  config: Pick<AppConfig, "reviews">,
  service: Pick<ReviewService, "runNow">,
  logger: Logger,
): ReviewScheduler | null {
  if (config.reviews === undefined) return null;
  const schedule = parseReviewSchedule(config.reviews.cron, config.reviews.timeZone);
  const job = CronJob.from({
    cronTime: schedule.cron,
    timeZone: schedule.timeZone,
    onTick: async () => {
      try {
        await service.runNow("schedule");
      } catch (error) {
        logger.error({ err: error }, "scheduled review run failed");
      }
    },
    // A tick firing while the previous one still runs would only be skipped by the lock.
    waitForCompletion: true,
    unrefTimeout: true,
    start: true,
  });
  const nextRunAt = () => schedule.nextRunAfter(new Date());
  logger.info(
    { cron: schedule.cron, timeZone: schedule.timeZone, nextRunAt: nextRunAt().toISOString() },
    "review schedule started",
  );
  return {
    nextRunAt,
    stop: () => {
      void job.stop();
    },
  };
}
