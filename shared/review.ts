import { z } from "zod";
import { UsageSchema } from "./agent-event.js";
import { ErrorCodeSchema } from "./errors.js";

/** How risky a pull request is to merge, in the reviewer's judgement. */
export const RiskLevelSchema = z.enum(["low", "medium", "high"]);
/** How risky a pull request is to merge. */
export type RiskLevel = z.infer<typeof RiskLevelSchema>;

/** Risk levels from the most to the least urgent: the order every list of reviews uses. */
export const RISK_ORDER: readonly RiskLevel[] = ["high", "medium", "low"];

/**
 * The agent's review of one pull request: the structured output of a read-only review
 * turn. Every property is required and nullable rather than optional, because the model
 * API's strict JSON Schema mode demands it.
 */
export const PullRequestReviewSchema = z
  .object({
    pr_number: z.number().int().positive().describe("The number of the pull request reviewed."),
    title: z.string().describe("The pull request's title."),
    summary: z
      .string()
      .describe("What the change does and whether it does it well, in two to four sentences."),
    risk_level: RiskLevelSchema.describe(
      "The risk of merging as is: high for likely breakage, data loss or a security hole.",
    ),
    security_concerns: z
      .array(z.string())
      .describe("Each concrete security concern, one sentence each; empty when there are none."),
    test_notes: z
      .string()
      .nullable()
      .describe("Whether the change is tested and what tests are missing; null if not assessed."),
  })
  .strict();
/** The agent's review of one pull request. */
export type PullRequestReview = z.infer<typeof PullRequestReviewSchema>;

/** What started a review run. */
export const ReviewTriggerSchema = z.enum(["schedule", "manual", "cli"]);
/** What started a review run. */
export type ReviewTrigger = z.infer<typeof ReviewTriggerSchema>;

/** A run is `running` until every pull request is done; `failed` only when the run itself broke. */
export const ReviewRunStatusSchema = z.enum(["running", "completed", "failed"]);
/** The state of a review run. */
export type ReviewRunStatus = z.infer<typeof ReviewRunStatusSchema>;

/** What became of the Slack summary: not configured, posted, or it failed. */
export const SlackDeliverySchema = z.enum(["disabled", "posted", "failed"]);
/** What became of the Slack summary. */
export type SlackDelivery = z.infer<typeof SlackDeliverySchema>;

/** Something that went wrong during a run without stopping it. */
export const ReviewRunErrorSchema = z.object({
  /** What failed: listing a repository's pull requests, Slack, a PR comment, or the run itself. */
  scope: z.enum(["repo", "slack", "comment", "run"]),
  repo: z.string().nullable(),
  prNumber: z.number().int().positive().nullable(),
  code: ErrorCodeSchema,
  message: z.string(),
});
/** Something that went wrong during a run. */
export type ReviewRunError = z.infer<typeof ReviewRunErrorSchema>;

/** A Jira ticket named by a pull request's title or branch, with its status when known. */
export const ReviewTicketSchema = z.object({
  key: z.string(),
  url: z.string(),
  /** Null when Jira could not be asked or does not know the ticket. */
  status: z.string().nullable(),
});
/** A Jira ticket named by a pull request. */
export type ReviewTicket = z.infer<typeof ReviewTicketSchema>;

/** One pull request of a run: its review, or why it could not be reviewed. */
export const ReviewResultSchema = z.object({
  repo: z.string(),
  prNumber: z.number().int().positive(),
  title: z.string(),
  url: z.string(),
  author: z.string().nullable(),
  headRef: z.string(),
  headSha: z.string(),
  baseRef: z.string(),
  status: z.enum(["reviewed", "failed"]),
  review: PullRequestReviewSchema.nullable(),
  error: z.object({ code: ErrorCodeSchema, message: z.string() }).nullable(),
  ticket: ReviewTicketSchema.nullable(),
  usage: UsageSchema,
  startedAt: z.string(),
  finishedAt: z.string(),
});
/** One pull request of a run. */
export type ReviewResult = z.infer<typeof ReviewResultSchema>;

/** A review run without its per-PR results (the list's rows). */
export const ReviewRunSchema = z.object({
  id: z.string(),
  status: ReviewRunStatusSchema,
  trigger: ReviewTriggerSchema,
  /** The admin who pressed Run now; null for the schedule and the CLI. */
  triggeredBy: z.string().nullable(),
  /** Pull requests updated at or after this time were reviewed. */
  windowStart: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  reviewedCount: z.number().int().nonnegative(),
  failedCount: z.number().int().nonnegative(),
  usage: UsageSchema,
  slack: SlackDeliverySchema.nullable(),
  errors: z.array(ReviewRunErrorSchema),
});
/** A review run. */
export type ReviewRun = z.infer<typeof ReviewRunSchema>;

/** A review run with its results, highest risk first (failed reviews after the reviewed ones). */
export const ReviewRunDetailSchema = ReviewRunSchema.extend({
  results: z.array(ReviewResultSchema),
});
/** A review run with its results. */
export type ReviewRunDetail = z.infer<typeof ReviewRunDetailSchema>;

/** `GET /api/reviews` query. */
export const ReviewRunListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(200).optional(),
});
/** `GET /api/reviews` query. */
export type ReviewRunListQuery = z.infer<typeof ReviewRunListQuerySchema>;

/** `GET /api/reviews`: runs, newest first. */
export const ReviewRunListResponseSchema = z.object({
  runs: z.array(ReviewRunSchema),
  nextCursor: z.string().nullable(),
});
/** `GET /api/reviews` */
export type ReviewRunListResponse = z.infer<typeof ReviewRunListResponseSchema>;

/** `GET /api/reviews/:id` and `POST /api/reviews/run` (202). */
export const ReviewRunResponseSchema = z.object({ run: ReviewRunDetailSchema });
/** `GET /api/reviews/:id` */
export type ReviewRunResponse = z.infer<typeof ReviewRunResponseSchema>;

/** A review run id in a path. */
export const ReviewRunIdParamsSchema = z.object({ id: z.uuid() });

/** Sorts results highest risk first; failed reviews (no risk known) last; then by repo and number. */
export function sortByRisk<T extends Pick<ReviewResult, "review" | "repo" | "prNumber">>(
  results: readonly T[],
): T[] {
  const rank = (r: T) =>
    r.review === null ? RISK_ORDER.length : RISK_ORDER.indexOf(r.review.risk_level);
  return [...results].sort(
    (a, b) => rank(a) - rank(b) || a.repo.localeCompare(b.repo) || a.prNumber - b.prNumber,
  );
}
