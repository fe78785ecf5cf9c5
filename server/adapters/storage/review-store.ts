import type { Generated, Selectable } from "kysely";
import {
  PullRequestReviewSchema,
  ReviewResultSchema,
  ReviewRunErrorSchema,
  ReviewTicketSchema,
  type ReviewResult,
  type ReviewRun,
  type ReviewRunError,
  type ReviewRunStatus,
  type ReviewTrigger,
  type SlackDelivery,
} from "../../../shared/review.js";
import { TaskErrorSchema } from "../../../shared/task.js";
import type { ReviewStore } from "../../domain/ports/review-ports.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import type { Database } from "./database.js";
import { toIsoUtc } from "./timestamps.js";

/** The `review_runs` table (migration 0002). */
export interface ReviewRunsTable {
  seq: Generated<number>;
  id: string;
  status: ReviewRunStatus;
  trigger: ReviewTrigger;
  triggered_by: string | null;
  window_start: string;
  started_at: string;
  finished_at: string | null;
  heartbeat_at: string;
  reviewed_count: Generated<number>;
  failed_count: Generated<number>;
  input_tokens: Generated<number>;
  cached_input_tokens: Generated<number>;
  output_tokens: Generated<number>;
  slack: SlackDelivery | null;
  /** JSON array of ReviewRunError. */
  errors: Generated<string>;
}

/** The `review_results` table (migration 0002): one row per pull request of a run. */
export interface ReviewResultsTable {
  run_id: string;
  repo: string;
  pr_number: number;
  title: string;
  url: string;
  author: string | null;
  head_ref: string;
  head_sha: string;
  base_ref: string;
  status: ReviewResult["status"];
  /** Copied out of `review` so the risk can be sorted and filtered in SQL later. */
  risk_level: string | null;
  /** JSON of a PullRequestReview. */
  review: string | null;
  /** JSON of `{code, message}`. */
  error: string | null;
  /** JSON of a ReviewTicket. */
  ticket: string | null;
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  started_at: string;
  finished_at: string;
}

/** The review tables, added to the task schema's kysely instance with `withTables`. */
type ReviewTables = {
  review_runs: ReviewRunsTable;
  review_results: ReviewResultsTable;
};

const json = (value: unknown): string | null => (value === null ? null : JSON.stringify(value));
const parse = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

function rowToRun(row: Selectable<ReviewRunsTable>): ReviewRun {
  return {
    id: row.id,
    status: row.status,
    trigger: row.trigger,
    triggeredBy: row.triggered_by,
    windowStart: row.window_start,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    reviewedCount: Number(row.reviewed_count),
    failedCount: Number(row.failed_count),
    usage: {
      inputTokens: Number(row.input_tokens),
      cachedInputTokens: Number(row.cached_input_tokens),
      outputTokens: Number(row.output_tokens),
    },
    slack: row.slack,
    errors: ReviewRunErrorSchema.array().parse(parse(row.errors)),
  };
}

function rowToResult(row: Selectable<ReviewResultsTable>): ReviewResult {
  return ReviewResultSchema.parse({
    repo: row.repo,
    prNumber: Number(row.pr_number),
    title: row.title,
    url: row.url,
    author: row.author,
    headRef: row.head_ref,
    headSha: row.head_sha,
    baseRef: row.base_ref,
    status: row.status,
    review: row.review === null ? null : PullRequestReviewSchema.parse(parse(row.review)),
    error: row.error === null ? null : TaskErrorSchema.parse(parse(row.error)),
    ticket: row.ticket === null ? null : ReviewTicketSchema.parse(parse(row.ticket)),
    usage: {
      inputTokens: Number(row.input_tokens),
      cachedInputTokens: Number(row.cached_input_tokens),
      outputTokens: Number(row.output_tokens),
    },
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  });
}

/**
 * The ReviewStore over a {@link Database}. The lock is the partial unique index
 * `review_runs_one_running`; a run whose heartbeat went stale is ended first, so a crashed
 * process cannot block the nightly review forever.
 */
export function createReviewStore(db: Database): ReviewStore {
  const kysely = db.kysely.withTables<ReviewTables>();
  const { dialect } = db;

  async function getRun(id: string) {
    const row = await kysely
      .selectFrom("review_runs")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    if (row === undefined) return null;
    const results = await kysely
      .selectFrom("review_results")
      .selectAll()
      .where("run_id", "=", id)
      .orderBy("repo")
      .orderBy("pr_number")
      .execute();
    return { ...rowToRun(row), results: results.map(rowToResult) };
  }

  return {
    async startRun(run) {
      const staleBefore = toIsoUtc(run.staleBefore);
      const interrupted: ReviewRunError = {
        scope: "run",
        repo: null,
        prNumber: null,
        code: "interrupted",
        message: "The process running this review stopped before it finished",
      };
      const stale = await kysely
        .selectFrom("review_runs")
        .select(["id", "errors"])
        .where("status", "=", "running")
        .where("heartbeat_at", "<", staleBefore)
        .execute();
      for (const row of stale) {
        const errors = ReviewRunErrorSchema.array().parse(parse(row.errors));
        // The same conditions again: a heartbeat that arrived meanwhile keeps the run alive.
        await kysely
          .updateTable("review_runs")
          .set({
            status: "failed",
            finished_at: toIsoUtc(run.startedAt),
            errors: JSON.stringify([...errors, interrupted]),
          })
          .where("id", "=", row.id)
          .where("status", "=", "running")
          .where("heartbeat_at", "<", staleBefore)
          .execute();
      }
      try {
        await kysely
          .insertInto("review_runs")
          .values({
            id: run.id,
            status: "running",
            trigger: run.trigger,
            triggered_by: run.triggeredBy,
            window_start: toIsoUtc(run.windowStart),
            started_at: toIsoUtc(run.startedAt),
            heartbeat_at: toIsoUtc(run.startedAt),
            slack: null,
          })
          .execute();
      } catch (error) {
        if (dialect.isUniqueViolation(error)) return null;
        throw error;
      }
      return getRun(run.id);
    },

    async heartbeat(runId, at) {
      await kysely
        .updateTable("review_runs")
        .set({ heartbeat_at: toIsoUtc(at) })
        .where("id", "=", runId)
        .where("status", "=", "running")
        .execute();
    },

    async saveResult(runId, result) {
      const valid = ReviewResultSchema.parse(result);
      await kysely.transaction().execute(async (trx) => {
        await trx
          .insertInto("review_results")
          .values({
            run_id: runId,
            repo: valid.repo,
            pr_number: valid.prNumber,
            title: valid.title,
            url: valid.url,
            author: valid.author,
            head_ref: valid.headRef,
            head_sha: valid.headSha,
            base_ref: valid.baseRef,
            status: valid.status,
            risk_level: valid.review?.risk_level ?? null,
            review: json(valid.review),
            error: json(valid.error),
            ticket: json(valid.ticket),
            input_tokens: valid.usage.inputTokens,
            cached_input_tokens: valid.usage.cachedInputTokens,
            output_tokens: valid.usage.outputTokens,
            started_at: toIsoUtc(valid.startedAt),
            finished_at: toIsoUtc(valid.finishedAt),
          })
          .execute();
        const reviewed = valid.status === "reviewed" ? 1 : 0;
        await trx
          .updateTable("review_runs")
          .set((eb) => ({
            reviewed_count: eb("reviewed_count", "+", reviewed),
            failed_count: eb("failed_count", "+", 1 - reviewed),
            input_tokens: eb("input_tokens", "+", valid.usage.inputTokens),
            cached_input_tokens: eb("cached_input_tokens", "+", valid.usage.cachedInputTokens),
            output_tokens: eb("output_tokens", "+", valid.usage.outputTokens),
          }))
          .where("id", "=", runId)
          .execute();
      });
    },

    async finishRun(runId, finished) {
      await kysely
        .updateTable("review_runs")
        .set({
          status: finished.status,
          finished_at: toIsoUtc(finished.finishedAt),
          slack: finished.slack,
          errors: JSON.stringify(ReviewRunErrorSchema.array().parse(finished.errors)),
        })
        .where("id", "=", runId)
        .where("status", "=", "running")
        .execute();
      return getRun(runId);
    },

    getRun,

    async listRuns(query) {
      let select = kysely.selectFrom("review_runs").selectAll();
      if (query.cursor !== undefined) select = select.where("seq", "<", decodeCursor(query.cursor));
      const rows = await select
        .orderBy("seq", "desc")
        .limit(query.limit + 1)
        .execute();
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        runs: page.map(rowToRun),
        nextCursor: rows.length > query.limit && last !== undefined ? encodeCursor(last.seq) : null,
      };
    },
  };
}
