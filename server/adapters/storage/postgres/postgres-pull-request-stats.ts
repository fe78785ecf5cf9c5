import { sql } from "kysely";
import type { Kysely, RawBuilder, Transaction } from "kysely";
import type { PullRequestStats } from "../database.js";
import type { PullRequestTables } from "../pull-request-store.js";
import type { StorageSchema } from "../schema.js";
import { taskFilterCondition } from "../task-filters.js";
import type { TaskFilters } from "../task-filters.js";
import {
  assemblePullRequestStats,
  GROUPING_COLUMNS,
  groupingSets,
  WEEK_AND_MONTH,
} from "./pull-request-groups.js";
import type { GroupRow } from "./pull-request-groups.js";
import {
  pullRequestRollupsAnswer,
  rolledUpCounts,
  withRolledUpMedians,
} from "./postgres-pull-request-rollups.js";

/**
 * Up to this many matching pull requests the figures are computed exactly over
 * `pull_requests` rather than from the rollups, whose medians are only within one
 * histogram bucket (≈ 10.5 %). At the bench's million tasks the exact query costs about
 * 13 µs per pull request (5.2 s for 391,802), so 10,000 stay near 0.13 s: exact figures
 * whenever they are cheap, which is every small installation and every test.
 */
export const EXACT_PULL_REQUEST_FIGURES_UP_TO = 10_000;

/** Options of {@link summarizePostgresPullRequests}. */
export interface PullRequestSummaryOptions {
  /** Matching pull requests up to which the figures are exact (tests set 0). */
  exactUpTo?: number;
}

/**
 * A stored time to the millisecond, as the SQLite path's `Date.parse` reads it: seeded
 * or imported rows may carry microseconds, which would shift the medians by a fraction.
 * `opened_at`/`merged_at` are ISO-8601 text even on PostgreSQL (migration 0006).
 */
const msTime = (column: RawBuilder<unknown>) =>
  sql`date_trunc('milliseconds', ${column}::timestamptz)`;
/** Milliseconds from one time to another, never negative (float8: what percentile_cont takes). */
const msBetween = (from: RawBuilder<unknown>, to: RawBuilder<unknown>) =>
  sql`greatest(0, extract(epoch from (${msTime(to)} - ${msTime(from)})) * 1000)::float8`;

/**
 * History's pull request figures computed exactly over `pull_requests` joined to the
 * matching tasks: one scan grouped by `GROUPING SETS` (total, day, ISO week, month,
 * repository), so only the grouped rows reach Node. `percentile_cont(0.5)` interpolates
 * the middle two of an even count, like the SQLite path's median. Exported so tests can
 * hold the rollups to it.
 */
export async function summarizePullRequestsExactly(
  trx: Transaction<StorageSchema>,
  filters: TaskFilters,
): Promise<PullRequestStats> {
  const matching = trx
    .selectFrom("tasks")
    .select(["id", "created_at", "input_tokens", "cached_input_tokens", "output_tokens"])
    .where((eb) => taskFilterCondition(eb, filters));
  const merged = sql`p.state = 'merged'`;
  // The planner's cost at a million tasks passes jit_inline_above_cost: EXPLAIN ANALYZE
  // spent 3.1 s of 5.2 s compiling (inlining, optimization) a query that runs once.
  await sql`set local jit = off`.execute(trx);
  const { rows } = await sql<GroupRow>`
    with r as (
      -- Each row's keys and durations once, not once per grouping set.
      select
        p.repo,
        left(p.opened_at, 10) as day,
        ${WEEK_AND_MONTH(sql`left(p.opened_at, 10)`)},
        ${merged} as merged,
        p.state = 'closed' as closed,
        p.first_ci_green,
        p.ci_rounds + p.review_rounds as rounds,
        ${msBetween(sql`t.created_at`, sql`p.opened_at`)} as click_ms,
        case when ${merged}
          then ${msBetween(sql`p.opened_at`, sql`coalesce(p.merged_at, p.opened_at)`)}
        end as merge_ms,
        case when ${merged} then t.input_tokens end as input,
        case when ${merged} then t.cached_input_tokens end as cached,
        case when ${merged} then t.output_tokens end as output
      from pull_requests p
      join (${matching}) t on t.id = p.task_id
    )
    select
      ${GROUPING_COLUMNS},
      count(*) as opened,
      count(*) filter (where merged) as merged,
      count(*) filter (where closed) as closed,
      count(first_ci_green) as verdicts,
      count(*) filter (where first_ci_green = 1) as green,
      sum(rounds) as rounds,
      percentile_cont(0.5) within group (order by click_ms) as click_to_pr,
      -- Null for every pull request not merged, which percentile_cont skips.
      percentile_cont(0.5) within group (order by merge_ms) as pr_to_merge,
      sum(input) as input,
      sum(cached) as cached,
      sum(output) as output
    from r
    group by ${groupingSets()}
  `.execute(trx.withTables<PullRequestTables>());
  return assemblePullRequestStats(rows);
}

/**
 * History's pull request figures on PostgreSQL. With no filter or only a repository, and
 * more matching pull requests than `exactUpTo`, from the rollups (migration 0016: exact
 * counts and sums, medians within one histogram bucket); otherwise exactly over
 * `pull_requests`. One repeatable-read transaction, so the rollups' total deciding
 * between them and the figures read the same snapshot.
 */
export async function summarizePostgresPullRequests(
  kysely: Kysely<StorageSchema>,
  filters: TaskFilters,
  options: PullRequestSummaryOptions = {},
): Promise<PullRequestStats> {
  const exactUpTo = options.exactUpTo ?? EXACT_PULL_REQUEST_FIGURES_UP_TO;
  return kysely
    .transaction()
    .setIsolationLevel("repeatable read")
    .execute(async (trx) => {
      if (!pullRequestRollupsAnswer(filters)) return summarizePullRequestsExactly(trx, filters);
      const counts = await rolledUpCounts(trx, filters);
      const matching = Number(counts.find((row) => row.grouping === "total")?.opened ?? 0);
      return matching > exactUpTo
        ? withRolledUpMedians(trx, filters, counts)
        : summarizePullRequestsExactly(trx, filters);
    });
}
