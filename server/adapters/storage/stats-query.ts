import type { Task, TaskSummary } from "../../../shared/task.js";
import type { TaskStatsDay, TaskStatsResponse } from "../../../shared/stats.js";
import type { Database } from "./database.js";
import { taskFilterCondition } from "./task-filters.js";
import type { TaskFilters } from "./task-filters.js";
import { rowToTaskSummary, SUMMARY_COLUMNS } from "./task-rows.js";

/** The History page's aggregate queries and the CSV export. */
export interface StatsQuery {
  /** Per-day counts (UTC days with at least one task, oldest first) and totals. */
  taskStats(filters: TaskFilters): Promise<TaskStatsResponse>;
  /**
   * Every matching task, newest first, read in pages of `pageSize` so a 100,000-row
   * export never sits in memory at once.
   */
  exportRows(filters: TaskFilters, pageSize?: number): AsyncIterable<TaskSummary>;
}

const FINISHED: Task["status"][] = ["completed", "failed", "cancelled"];
const EXPORT_PAGE_SIZE = 1000;

/** Aggregates may come back as strings (PostgreSQL bigint/numeric) or null (no rows). */
function num(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/** Creates the stats queries over a database. */
export function createStatsQuery(db: Database): StatsQuery {
  const { kysely, dialect } = db;

  async function days(filters: TaskFilters): Promise<TaskStatsDay[]> {
    const rows = await kysely
      .selectFrom("tasks")
      .where((eb) => taskFilterCondition(eb, filters))
      .select((eb) => {
        // Literal (not bound) arguments so SELECT and GROUP BY are the same expression
        // on dialects that compare them textually (PostgreSQL).
        const day = eb.fn<string>("substr", ["created_at", eb.lit(1), eb.lit(10)]);
        const countOf = (status: Task["status"]) =>
          eb.fn.sum<number>(eb.case().when("status", "=", status).then(1).else(0).end());
        return [
          day.as("date"),
          eb.fn.countAll<number>().as("tasks"),
          countOf("completed").as("completed"),
          countOf("failed").as("failed"),
          eb.fn.sum<number>("input_tokens").as("input"),
          eb.fn.sum<number>("cached_input_tokens").as("cached"),
          eb.fn.sum<number>("output_tokens").as("output"),
        ];
      })
      .groupBy((eb) => eb.fn("substr", ["created_at", eb.lit(1), eb.lit(10)]))
      .orderBy("date")
      .execute();
    return rows.map((row) => ({
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
  }

  async function medianDurationMs(filters: TaskFilters): Promise<number | null> {
    const timed = kysely
      .selectFrom("tasks")
      .where((eb) => taskFilterCondition(eb, filters))
      .where("status", "in", FINISHED)
      .where("started_at", "is not", null)
      .where("finished_at", "is not", null);
    const counted = await timed.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirst();
    const n = num(counted?.n);
    if (n === 0) return null;
    // The middle one or two durations, found by the database rather than by loading all.
    const middle = await timed
      .select((eb) => dialect.durationMs(eb.ref("started_at"), eb.ref("finished_at")).as("ms"))
      .orderBy("ms")
      .limit(n % 2 === 1 ? 1 : 2)
      .offset(Math.floor((n - 1) / 2))
      .execute();
    const values = middle.map((row) => Math.max(0, num(row.ms)));
    return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
  }

  return {
    async taskStats(filters) {
      const totals = await kysely
        .selectFrom("tasks")
        .where((eb) => taskFilterCondition(eb, filters))
        .select((eb) => [
          eb.fn.countAll<number>().as("total"),
          eb.fn
            .sum<number>(eb.case().when("status", "=", "completed").then(1).else(0).end())
            .as("completed"),
          eb.fn
            .sum<number>(eb.case().when("status", "in", FINISHED).then(1).else(0).end())
            .as("finished"),
          eb.fn.sum<number>("input_tokens").as("input"),
          eb.fn.sum<number>("cached_input_tokens").as("cached"),
          eb.fn.sum<number>("output_tokens").as("output"),
        ])
        .executeTakeFirstOrThrow();
      const finished = num(totals.finished);
      return {
        days: await days(filters),
        total: num(totals.total),
        successRate: finished === 0 ? null : num(totals.completed) / finished,
        medianDurationMs: await medianDurationMs(filters),
        usage: {
          inputTokens: num(totals.input),
          cachedInputTokens: num(totals.cached),
          outputTokens: num(totals.output),
        },
      };
    },

    async *exportRows(filters, pageSize = EXPORT_PAGE_SIZE) {
      let before: number | null = null;
      for (;;) {
        let select = kysely
          .selectFrom("tasks")
          .select(SUMMARY_COLUMNS)
          .where((eb) => taskFilterCondition(eb, filters));
        if (before !== null) select = select.where("seq", "<", before);
        // Each page is its own short query, so no read transaction is held while the
        // consumer writes a slow HTTP response.
        const rows = await select.orderBy("seq", "desc").limit(pageSize).execute();
        for (const row of rows) yield rowToTaskSummary(row);
        const last = rows.at(-1);
        if (rows.length < pageSize || last === undefined) return;
        before = last.seq;
      }
    },
  };
}
