import { sql } from "kysely";
import type { RawBuilder, Transaction } from "kysely";
import type { PullRequestStats } from "../database.js";
import type { StorageSchema } from "../schema.js";
import type { TaskFilters } from "../task-filters.js";
import { weekOf } from "../pull-request-stats.js";
import { histogramMedian } from "./histogram-median.js";
import type { HistogramBucket } from "./histogram-median.js";
import {
  assemblePullRequestStats,
  GROUPING_COLUMNS,
  groupingSets,
  WEEK_AND_MONTH,
} from "./pull-request-groups.js";
import type { GroupRow, Grouping } from "./pull-request-groups.js";

/**
 * Whether the rollups (migration 0016) can answer these filters: they are keyed by the
 * day the pull request opened and the task's repository, while every other filter
 * (status, creator, outcome, ticket, and `from`/`to`, which are on the task's creation)
 * selects tasks the rollups do not tell apart. Any filter not known here falls back too.
 */
export function pullRequestRollupsAnswer(filters: TaskFilters): boolean {
  return Object.entries(filters).every(([name, value]) => value === undefined || name === "repo");
}

/** The WHERE condition over a rollup table for the filters it answers. */
const rollupWhere = (filters: TaskFilters): RawBuilder<unknown> =>
  filters.repo === undefined ? sql`true` : sql`task_repo = ${filters.repo}`;

/** A group's median of one kind: `${grouping}/${key}/${kind}`. */
const medianKey = (grouping: Grouping, key: string | null, kind: string) =>
  `${grouping}/${key ?? ""}/${kind}`;

/**
 * Every group's click → pull request and pull request → merge medians, from the
 * histograms: PostgreSQL reads them per day and per repository (the per-day and
 * per-repository tables when they match the filters, about 16,000 rows at a million
 * tasks); weeks, months and the total are summed from the days here, and the medians
 * interpolated. EXPLAIN ANALYZE at a million tasks (load ~3.5): summing all five
 * groupings in SQL with grouping sets over the keyed histogram (65,000 rows), then
 * ranking buckets with window functions, took 256-354 ms; summing only per day and per
 * repository in SQL, 80-130 ms.
 */
async function rolledUpMedians(
  trx: Transaction<StorageSchema>,
  filters: TaskFilters,
): Promise<Map<string, number | null>> {
  const days =
    filters.repo === undefined
      ? sql`select day, null as repo, kind, bucket, pull_requests::integer as count
          from pull_request_day_durations`
      : sql`select day, null as repo, kind, bucket, sum(pull_requests)::integer as count
          from pull_request_duration_rollups where ${rollupWhere(filters)}
          group by day, kind, bucket`;
  const { rows } = await sql<{
    day: string | null;
    repo: string | null;
    kind: string;
    bucket: number;
    count: number;
  }>`
    ${days}
    union all
    select null, repo, kind, bucket, sum(pull_requests)::integer
    from pull_request_repo_durations where ${rollupWhere(filters)}
    group by repo, kind, bucket`.execute(trx);
  const histograms = new Map<string, HistogramBucket[]>();
  const add = (grouping: Grouping, key: string | null, kind: string, bucket: HistogramBucket) => {
    const id = medianKey(grouping, key, kind);
    const histogram = histograms.get(id);
    if (histogram === undefined) histograms.set(id, [bucket]);
    else histogram.push(bucket);
  };
  for (const row of rows) {
    const bucket = { bucket: Number(row.bucket), count: Number(row.count) };
    if (row.day === null) {
      add("repo", row.repo, row.kind, bucket);
      continue;
    }
    add("day", row.day, row.kind, bucket);
    add("week", weekOf(row.day), row.kind, bucket);
    add("month", row.day.slice(0, 7), row.kind, bucket);
    add("total", null, row.kind, bucket);
  }
  return new Map([...histograms].map(([id, histogram]) => [id, histogramMedian(histogram)]));
}

/**
 * The figures of every group from `pull_request_rollups` (a few thousand rows against
 * hundreds of thousands of pull requests), exact, without medians: the caller decides
 * from the total whether to add the rollups' medians or ask the exact query instead.
 */
export async function rolledUpCounts(
  trx: Transaction<StorageSchema>,
  filters: TaskFilters,
): Promise<Array<Omit<GroupRow, "click_to_pr" | "pr_to_merge">>> {
  const { rows } = await sql<Omit<GroupRow, "click_to_pr" | "pr_to_merge">>`
    with r as (
      select day, ${WEEK_AND_MONTH(sql`day`)}, repo, pull_requests, merged, closed,
        verdicts, green, rounds, input_tokens, cached_input_tokens, output_tokens
      from pull_request_rollups where ${rollupWhere(filters)}
    )
    select ${GROUPING_COLUMNS},
      sum(pull_requests) as opened, sum(merged) as merged, sum(closed) as closed,
      sum(verdicts) as verdicts, sum(green) as green, sum(rounds) as rounds,
      sum(input_tokens) as input, sum(cached_input_tokens) as cached,
      sum(output_tokens) as output
    from r group by ${groupingSets()}
    having sum(pull_requests) > 0`.execute(trx);
  return rows;
}

/**
 * History's pull request figures from the rollups (migration 0016): the counts, rates
 * and sums of {@link rolledUpCounts}, exact, with medians from the histograms within one
 * bucket (≈ 10.5 %) of the exact ones. Run inside the caller's transaction, so both read
 * one snapshot.
 */
export async function withRolledUpMedians(
  trx: Transaction<StorageSchema>,
  filters: TaskFilters,
  counts: ReadonlyArray<Omit<GroupRow, "click_to_pr" | "pr_to_merge">>,
): Promise<PullRequestStats> {
  const medians = await rolledUpMedians(trx, filters);
  return assemblePullRequestStats(
    counts.map((row) => ({
      ...row,
      click_to_pr: medians.get(medianKey(row.grouping, row.key, "click")) ?? null,
      pr_to_merge: medians.get(medianKey(row.grouping, row.key, "merge")) ?? null,
    })),
  );
}
