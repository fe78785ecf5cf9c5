import { sql } from "kysely";
import type { Kysely, RawBuilder, Transaction } from "kysely";
import type { StorageSchema } from "../schema.js";
import { taskFilterCondition } from "../task-filters.js";
import type { TaskFilters } from "../task-filters.js";
import { toIsoUtc } from "../timestamps.js";
import { num } from "../aggregate-number.js";

/** What the summary is assembled from: per-day rows, the finished count, the median. */
export interface SummaryParts {
  /** Per UTC day: `day`, `tasks`, `completed`, `failed`, `input`, `cached`, `output`. */
  days: Array<Record<string, unknown>>;
  finished: number;
  medianDurationMs: number | null;
}

/** A filter time as a UTC day (`YYYY-MM-DD`), or null when it is not a UTC midnight. */
function utcDay(time: string | undefined): string | null | undefined {
  if (time === undefined) return undefined;
  const iso = toIsoUtc(time);
  return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : null;
}

/** The filters as the rollups key them, or null when only `tasks` can answer them. */
interface RollupFilters {
  status?: string;
  outcome?: string;
  repo?: string;
  createdBy?: string;
  fromDay?: string;
  toDay?: string;
}

/**
 * Whether the rollups (migration 0014) can answer these filters: they are kept per UTC
 * day, repository, creator, status and outcome, so a ticket or a `from`/`to` inside a day
 * (not a UTC midnight) needs the exact query over `tasks`.
 */
export function rollupFilters(filters: TaskFilters): RollupFilters | null {
  if (filters.ticketKey !== undefined) return null;
  const fromDay = utcDay(filters.from);
  const toDay = utcDay(filters.to);
  if (fromDay === null || toDay === null) return null;
  const { status, outcome, repo, createdBy } = filters;
  return { status, outcome, repo, createdBy, fromDay, toDay };
}

/** The WHERE clause over a rollup table's columns; `keys` says which it has. */
function rollupWhere(f: RollupFilters, keys: "all" | "day-status"): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`true`];
  if (f.fromDay !== undefined) parts.push(sql`day >= ${f.fromDay}`);
  if (f.toDay !== undefined) parts.push(sql`day < ${f.toDay}`);
  if (f.status !== undefined) parts.push(sql`status = ${f.status}`);
  if (keys === "all") {
    if (f.outcome !== undefined) parts.push(sql`outcome = ${f.outcome}`);
    if (f.repo !== undefined) parts.push(sql`repo = ${f.repo}`);
    if (f.createdBy !== undefined) parts.push(sql`created_by = ${f.createdBy}`);
  }
  return sql.join(parts, sql` and `);
}

/** A finished task's duration in milliseconds, as `tasks_finished_duration` indexes it. */
const DURATION = sql`task_duration_ms(started_at, finished_at)`;
/** The rows `tasks_finished_duration` holds. */
const TIMED = sql<boolean>`status in ('completed', 'failed', 'cancelled')
  and started_at is not null and finished_at is not null`;

/**
 * The smallest whole millisecond count in `bucket`, as SQL: durations are whole
 * milliseconds, so a bucket is exactly [first of it, first of the next). Found by the
 * bucket function itself among the few values around e^((bucket-1)/10) (floating point
 * may put the edge one off), once per query: testing `task_duration_bucket` on every row
 * read instead (its numeric ln()) was most of a median read's 116 ms at a million tasks.
 */
function firstMsOf(bucket: number): RawBuilder<unknown> {
  if (bucket <= 1) return sql`${bucket}::numeric`;
  const edge = Math.exp((bucket - 1) / 10);
  return sql`(select min(m) from generate_series(${Math.floor(edge) - 1}::numeric,
    ${Math.ceil(edge) + 1}::numeric) m where task_duration_bucket(m) >= ${bucket})`;
}

/**
 * The `rank`-th (1-based) smallest duration among the matching finished tasks, given the
 * histogram: the bucket holding that rank is found from the counts, then the value is read
 * from `tasks` through the duration index, within that bucket only (about 10 % of the
 * durations' range, so a few percent of the rows at most).
 */
async function durationAtRank(
  trx: Transaction<StorageSchema>,
  filters: TaskFilters,
  histogram: Array<{ bucket: number; tasks: number }>,
  rank: number,
): Promise<number> {
  let before = 0;
  for (const { bucket, tasks } of histogram) {
    if (before + tasks >= rank) {
      const row = await trx
        .selectFrom("tasks")
        .select(DURATION.as("ms"))
        .where((eb) => taskFilterCondition(eb, filters))
        .where(TIMED)
        .where(
          sql<boolean>`${DURATION} >= ${firstMsOf(bucket)} and ${DURATION} < ${firstMsOf(bucket + 1)}`,
        )
        .orderBy(DURATION)
        .offset(rank - before - 1)
        .limit(1)
        .executeTakeFirst();
      if (row === undefined) break;
      return Number(row.ms);
    }
    before += tasks;
  }
  throw new Error(`task_duration_rollups disagree with tasks at rank ${rank}`);
}

/**
 * The median duration of the matching finished tasks (the middle two averaged for an
 * even count, as `percentile_cont(0.5)`), exact. From the histogram when the filters are
 * among its keys (day, status); otherwise `percentile_cont` over the matching rows.
 */
async function medianDuration(
  trx: Transaction<StorageSchema>,
  filters: TaskFilters,
  f: RollupFilters,
): Promise<number | null> {
  if (f.outcome !== undefined || f.repo !== undefined || f.createdBy !== undefined) {
    const row = await trx
      .selectFrom("tasks")
      .select(
        sql<number | null>`percentile_cont(0.5) within group (order by ${DURATION})`.as("median"),
      )
      .where((eb) => taskFilterCondition(eb, filters))
      .where(TIMED)
      .executeTakeFirstOrThrow();
    return row.median === null ? null : Number(row.median);
  }
  const { rows } = await sql<{ bucket: number; tasks: string }>`
    select bucket, sum(tasks) as tasks from task_duration_rollups
    where ${rollupWhere(f, "day-status")}
    group by bucket having sum(tasks) > 0 order by bucket`.execute(trx);
  const histogram = rows.map((r) => ({ bucket: r.bucket, tasks: num(r.tasks) }));
  const count = histogram.reduce((total, b) => total + b.tasks, 0);
  if (count === 0) return null;
  const lower = await durationAtRank(trx, filters, histogram, Math.floor((count + 1) / 2));
  if (count % 2 === 1) return lower;
  return (lower + (await durationAtRank(trx, filters, histogram, count / 2 + 1))) / 2;
}

/**
 * History's summary from the rollups (migration 0014): per-day counts and token sums from
 * `task_day_rollups` when only status and days filter (migration 0017), else from
 * `task_rollups` (a few hundred thousand rows at most, against a million tasks), the
 * median from the duration histogram plus one or two index reads. One repeatable-read
 * transaction, so the rollups and `tasks` are read in the same snapshot.
 */
export async function summarizeFromRollups(
  kysely: Kysely<StorageSchema>,
  filters: TaskFilters,
  f: RollupFilters,
): Promise<SummaryParts> {
  return kysely
    .transaction()
    .setIsolationLevel("repeatable read")
    .execute(async (trx) => {
      // Filtered by nothing but status and days: the per-day, per-status rollups (about
      // 1,800 rows at a million tasks instead of 145,000; migration 0017).
      const dayStatusOnly =
        f.outcome === undefined && f.repo === undefined && f.createdBy === undefined;
      const { rows: days } = await sql<Record<string, unknown>>`
        select day, sum(tasks) as tasks,
          sum(tasks) filter (where status = 'completed') as completed,
          sum(tasks) filter (where status = 'failed') as failed,
          sum(tasks) filter (where status in ('completed', 'failed', 'cancelled')) as finished,
          sum(input_tokens) as input, sum(cached_input_tokens) as cached,
          sum(output_tokens) as output
        from ${sql.table(dayStatusOnly ? "task_day_rollups" : "task_rollups")}
        where ${rollupWhere(f, dayStatusOnly ? "day-status" : "all")}
        group by day having sum(tasks) > 0 order by day`.execute(trx);
      return {
        days,
        finished: days.reduce((total, row) => total + num(row.finished), 0),
        medianDurationMs: await medianDuration(trx, filters, f),
      };
    });
}
