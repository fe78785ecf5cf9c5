import { sql } from "kysely";
import type { Kysely } from "kysely";
import type { TaskStatsResponse } from "../../../../shared/stats.js";
import type { StorageSchema } from "../schema.js";
import { taskFilterCondition } from "../task-filters.js";
import type { TaskFilters } from "../task-filters.js";
import { num } from "../aggregate-number.js";
import { rollupFilters, summarizeFromRollups } from "./postgres-task-rollups.js";
import type { SummaryParts } from "./postgres-task-rollups.js";

/** The statuses a task ends in, as SQL. */
const FINISHED = sql`status in ('completed', 'failed', 'cancelled')`;

/**
 * History's summary over `tasks` itself, for the filters the rollups cannot answer (a
 * ticket, a `from`/`to` inside a day): two aggregate queries, run by PostgreSQL while the
 * event loop serves other requests: per-UTC-day counts and token sums, then the finished
 * count and the median duration (`percentile_cont` interpolates the middle two of an even
 * count, like the SQLite path does). Exported so tests can hold the rollups to it.
 */
export async function summarizeTasksExactly(
  kysely: Kysely<StorageSchema>,
  filters: TaskFilters,
): Promise<SummaryParts> {
  const matching = kysely.selectFrom("tasks").where((eb) => taskFilterCondition(eb, filters));
  const day = sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD')`;
  const [days, totals] = await Promise.all([
    matching
      .select([
        day.as("day"),
        sql<number>`count(*)`.as("tasks"),
        sql<number>`count(*) filter (where status = 'completed')`.as("completed"),
        sql<number>`count(*) filter (where status = 'failed')`.as("failed"),
        sql<string>`sum(input_tokens)`.as("input"),
        sql<string>`sum(cached_input_tokens)`.as("cached"),
        sql<string>`sum(output_tokens)`.as("output"),
      ])
      .groupBy(sql`1`)
      .orderBy(sql`1`)
      .execute(),
    matching
      .select([
        sql<number>`count(*) filter (where ${FINISHED})`.as("finished"),
        sql<number | null>`percentile_cont(0.5) within group (
          order by greatest(0, round(extract(epoch from (finished_at - started_at)) * 1000))
        ) filter (where ${FINISHED} and started_at is not null and finished_at is not null)`.as(
          "median",
        ),
      ])
      .executeTakeFirstOrThrow(),
  ]);
  return {
    days,
    finished: num(totals.finished),
    medianDurationMs: totals.median === null ? null : Number(totals.median),
  };
}

/** The response from its parts: days as the API shapes them, totals summed over the days. */
export function assembleTaskStats({
  days,
  finished,
  medianDurationMs,
}: SummaryParts): TaskStatsResponse {
  const byDay = days.map((row) => ({
    date: String(row.day),
    tasks: num(row.tasks),
    completed: num(row.completed),
    failed: num(row.failed),
    usage: {
      inputTokens: num(row.input),
      cachedInputTokens: num(row.cached),
      outputTokens: num(row.output),
    },
  }));
  const sum = (pick: (d: (typeof byDay)[number]) => number) =>
    byDay.reduce((total, d) => total + pick(d), 0);
  return {
    days: byDay,
    total: sum((d) => d.tasks),
    successRate: finished === 0 ? null : sum((d) => d.completed) / finished,
    medianDurationMs,
    usage: {
      inputTokens: sum((d) => d.usage.inputTokens),
      cachedInputTokens: sum((d) => d.usage.cachedInputTokens),
      outputTokens: sum((d) => d.usage.outputTokens),
    },
  };
}

/**
 * History's summary on PostgreSQL: from the per-day rollups (migration 0014) when the
 * filters are among their keys, else exactly over `tasks` (a ticket, or a `from`/`to`
 * that is not a UTC midnight). Both give the same figures, the median included.
 */
export async function summarizePostgresTasks(
  kysely: Kysely<StorageSchema>,
  filters: TaskFilters,
): Promise<TaskStatsResponse> {
  const keyed = rollupFilters(filters);
  return assembleTaskStats(
    keyed === null
      ? await summarizeTasksExactly(kysely, filters)
      : await summarizeFromRollups(kysely, filters, keyed),
  );
}
