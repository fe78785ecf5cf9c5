import { sql } from "kysely";
import type { Kysely, RawBuilder } from "kysely";
import type { PullRequestFigures } from "../../../../shared/stats.js";
import type { PullRequestStats } from "../database.js";
import { pullRequestFigures } from "../pull-request-stats.js";
import type { PullRequestTables } from "../pull-request-store.js";
import type { StorageSchema } from "../schema.js";
import { taskFilterCondition } from "../task-filters.js";
import type { TaskFilters } from "../task-filters.js";
import { num } from "../aggregate-number.js";

/** Which grouping a row of the grouping sets belongs to. */
type Grouping = "total" | "day" | "week" | "month" | "repo";

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
 * History's pull request figures computed by PostgreSQL: one scan grouped by
 * `GROUPING SETS` (total, day, ISO week, month, repository), so only the grouped rows
 * reach Node instead of every pull request (391,802 rows at a million tasks, bench
 * figure 11). `percentile_cont(0.5)` interpolates the middle two of an even count, like
 * the SQLite path's median. Keys are sorted here with `localeCompare`, as on SQLite,
 * because the database's collation may order repositories differently.
 */
export async function summarizePostgresPullRequests(
  kysely: Kysely<StorageSchema>,
  filters: TaskFilters,
): Promise<PullRequestStats> {
  const matching = kysely
    .selectFrom("tasks")
    .select(["id", "created_at", "input_tokens", "cached_input_tokens", "output_tokens"])
    .where((eb) => taskFilterCondition(eb, filters));
  const merged = sql`p.state = 'merged'`;
  const query = sql<{
    grouping: Grouping;
    key: string | null;
    opened: unknown;
    merged: unknown;
    closed: unknown;
    verdicts: unknown;
    green: unknown;
    rounds: unknown;
    click_to_pr: unknown;
    pr_to_merge: unknown;
    input: unknown;
    cached: unknown;
    output: unknown;
  }>`
    with r as (
      -- Each row's keys and durations once, not once per grouping set.
      select
        p.repo,
        left(p.opened_at, 10) as day,
        -- A timestamp (not the session's time zone) so the Monday is the UTC one.
        to_char(date_trunc('week', left(p.opened_at, 10)::timestamp), 'YYYY-MM-DD') as week,
        left(p.opened_at, 7) as month,
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
      case
        when grouping(day) = 0 then 'day'
        when grouping(week) = 0 then 'week'
        when grouping(month) = 0 then 'month'
        when grouping(repo) = 0 then 'repo'
        else 'total'
      end as grouping,
      coalesce(day, week, month, repo) as key,
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
    group by grouping sets ((), (day), (week), (month), (repo))
  `;
  const { rows } = await kysely.transaction().execute(async (trx) => {
    // The planner's cost at a million tasks passes jit_inline_above_cost: EXPLAIN ANALYZE
    // spent 3.1 s of 5.2 s compiling (inlining, optimization) a query that runs once.
    await sql`set local jit = off`.execute(trx);
    return query.execute(trx.withTables<PullRequestTables>());
  });

  const groups: Record<Grouping, PullRequestFigures[]> = {
    total: [],
    day: [],
    week: [],
    month: [],
    repo: [],
  };
  for (const row of rows) {
    const opened = num(row.opened);
    const mergedCount = num(row.merged);
    const closed = num(row.closed);
    const ended = mergedCount + closed;
    const verdicts = num(row.verdicts);
    groups[row.grouping].push({
      key: row.grouping === "total" ? "total" : (row.key ?? ""),
      opened,
      merged: mergedCount,
      closed,
      mergeRate: ended === 0 ? null : mergedCount / ended,
      medianClickToPrMs: row.click_to_pr === null ? null : Number(row.click_to_pr),
      medianPrToMergeMs: row.pr_to_merge === null ? null : Number(row.pr_to_merge),
      firstPushGreenRate: verdicts === 0 ? null : num(row.green) / verdicts,
      roundsPerPr: opened === 0 ? null : num(row.rounds) / opened,
      mergedUsage: {
        inputTokens: num(row.input),
        cachedInputTokens: num(row.cached),
        outputTokens: num(row.output),
      },
    });
  }
  const sorted = (figures: PullRequestFigures[]) =>
    figures.sort((a, b) => a.key.localeCompare(b.key));
  return {
    // Grouping sets return the empty set's row even when no pull request matched.
    total: groups.total[0] ?? pullRequestFigures("total", []),
    days: sorted(groups.day),
    weeks: sorted(groups.week),
    months: sorted(groups.month),
    repos: sorted(groups.repo),
  };
}
