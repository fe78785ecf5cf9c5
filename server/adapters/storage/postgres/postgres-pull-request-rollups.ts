import { sql } from "kysely";
import type { RawBuilder, Transaction } from "kysely";
import type { PullRequestStats } from "../database.js";
import type { StorageSchema } from "../schema.js";
import type { TaskFilters } from "../task-filters.js";
import { num } from "../aggregate-number.js";
import { histogramMedian } from "./histogram-median.js";
import type { MedianBucket } from "./histogram-median.js";
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

/** How many pull requests the filters match, from the rollups. */
export async function countRolledUpPullRequests(
  trx: Transaction<StorageSchema>,
  filters: TaskFilters,
): Promise<number> {
  const { rows } = await sql<{ count: unknown }>`
    select sum(pull_requests) as count from pull_request_rollups
    where ${rollupWhere(filters)}`.execute(trx);
  return num(rows[0]?.count);
}

/** A group's median of one kind: `${grouping}/${key}/${kind}`. */
const medianKey = (grouping: Grouping, key: string | null, kind: string) =>
  `${grouping}/${key ?? ""}/${kind}`;

/**
 * Every group's click → pull request and pull request → merge medians, from the
 * histograms: PostgreSQL sums the buckets per group and keeps only the one or two buckets
 * holding each group's middle ranks (about 4 rows per group instead of 40), and the
 * value is interpolated here within them.
 */
async function rolledUpMedians(
  trx: Transaction<StorageSchema>,
  filters: TaskFilters,
): Promise<Map<string, number | null>> {
  const { rows } = await sql<{
    grouping: Grouping;
    key: string | null;
    kind: string;
    bucket: number;
    count: unknown;
    before: unknown;
    total: unknown;
  }>`
    with h as (
      select day, ${WEEK_AND_MONTH(sql`day`)}, repo, kind, bucket, pull_requests
      from pull_request_duration_rollups where ${rollupWhere(filters)}
    ),
    grouped as (
      select ${GROUPING_COLUMNS}, kind, bucket, sum(pull_requests) as count
      from h group by ${groupingSets(["kind", "bucket"])}
      having sum(pull_requests) > 0
    ),
    ranked as (
      select *, sum(count) over (partition by "grouping", key, kind order by bucket) - count
          as before,
        sum(count) over (partition by "grouping", key, kind) as total
      from grouped
    )
    -- The buckets holding rank floor((total + 1) / 2) or floor(total / 2) + 1.
    select "grouping", key, kind, bucket, count, before, total from ranked
    where before < floor(total / 2) + 1 and before + count >= floor((total + 1) / 2)`.execute(trx);
  const buckets = new Map<string, MedianBucket[]>();
  for (const row of rows) {
    const key = medianKey(row.grouping, row.key, row.kind);
    const bucket: MedianBucket = {
      bucket: Number(row.bucket),
      count: num(row.count),
      before: num(row.before),
      total: num(row.total),
    };
    const group = buckets.get(key);
    if (group === undefined) buckets.set(key, [bucket]);
    else group.push(bucket);
  }
  return new Map([...buckets].map(([key, group]) => [key, histogramMedian(group)]));
}

/**
 * History's pull request figures from the rollups (migration 0016): counts, rates and
 * sums exact from `pull_request_rollups` (a few thousand rows against hundreds of
 * thousands of pull requests), medians from the histograms within one bucket (≈ 10.5 %)
 * of the exact ones. Run inside the caller's transaction, so both read one snapshot.
 */
export async function summarizePullRequestRollups(
  trx: Transaction<StorageSchema>,
  filters: TaskFilters,
): Promise<PullRequestStats> {
  const [{ rows }, medians] = await Promise.all([
    sql<Omit<GroupRow, "click_to_pr" | "pr_to_merge">>`
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
      having sum(pull_requests) > 0`.execute(trx),
    rolledUpMedians(trx, filters),
  ]);
  return assemblePullRequestStats(
    rows.map((row) => ({
      ...row,
      click_to_pr: medians.get(medianKey(row.grouping, row.key, "click")) ?? null,
      pr_to_merge: medians.get(medianKey(row.grouping, row.key, "merge")) ?? null,
    })),
  );
}
