import { sql } from "kysely";
import type { Kysely } from "kysely";
import type { TaskStatsResponse } from "../../../../shared/stats.js";
import type { StorageSchema } from "../schema.js";
import { taskFilterCondition } from "../task-filters.js";
import type { TaskFilters } from "../task-filters.js";

/** Aggregates come back as strings (numeric) or null (no rows). */
function num(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/** The statuses a task ends in, as SQL. */
const FINISHED = sql`status in ('completed', 'failed', 'cancelled')`;

/**
 * History's summary as two aggregate queries, run by PostgreSQL while the event loop
 * serves other requests: per-UTC-day counts and token sums, then the success rate and
 * the median duration (`percentile_cont` interpolates the middle two of an even count,
 * like the SQLite path does).
 */
export async function summarizePostgresTasks(
  kysely: Kysely<StorageSchema>,
  filters: TaskFilters,
): Promise<TaskStatsResponse> {
  const matching = kysely.selectFrom("tasks").where((eb) => taskFilterCondition(eb, filters));
  const day = sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD')`;
  const [days, totals] = await Promise.all([
    matching
      .select([
        day.as("date"),
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
  const byDay = days.map((row) => ({
    date: row.date,
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
  const finished = num(totals.finished);
  return {
    days: byDay,
    total: sum((d) => d.tasks),
    successRate: finished === 0 ? null : sum((d) => d.completed) / finished,
    medianDurationMs: totals.median === null ? null : Number(totals.median),
    usage: {
      inputTokens: sum((d) => d.usage.inputTokens),
      cachedInputTokens: sum((d) => d.usage.cachedInputTokens),
      outputTokens: sum((d) => d.usage.outputTokens),
    },
  };
}
