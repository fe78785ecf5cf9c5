import type { Task } from "../../../shared/task.js";
import type { TaskStatsDay } from "../../../shared/stats.js";
import type { Database } from "./database.js";
import { exportPullRequests, queryPullRequestStats } from "./pull-request-stats.js";
import { taskFilterCondition } from "./task-filters.js";
import type { TaskFilters } from "./task-filters.js";
import { selectSummaryRows } from "./summary-rows.js";
import { rowToTaskSummary } from "./task-rows.js";
import { num } from "./aggregate-number.js";
import { FINAL_TASK_STATUSES } from "../../../shared/task-state.js";
import type { TaskStatsQuery } from "../../domain/ports/task-stats.js";

/** The History page's aggregate queries and the CSV export. */
const EXPORT_PAGE_SIZE = 1000;
/**
 * Rows of the table per slice of the summary: each slice is one short query pair, and
 * other requests run between slices. On SQLite the driver is synchronous, so one query
 * over 100,000 tasks held the whole server for a second. Dialects whose driver does not
 * block (PostgreSQL) summarize in SQL instead (`StorageDialect.summarizeTasks`).
 */
const STATS_SLICE_ROWS = 1000;

/** Lets queued I/O and timers run before the next slice. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The middle value (or the mean of the middle two) of unsorted numbers; null for none. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const mid = Math.floor((sorted.length - 1) / 2);
  const low = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? low : (low + (sorted[mid + 1] ?? low)) / 2;
}

/** Options of {@link createStatsQuery}. */
export interface StatsQueryOptions {
  /** Rows per slice of the summary (tests make it small). */
  sliceRows?: number;
}

/** Creates the stats queries over a database. */
export function createStatsQuery(db: Database, options: StatsQueryOptions = {}): TaskStatsQuery {
  const { kysely, dialect } = db;
  const sliceRows = Math.max(1, options.sliceRows ?? STATS_SLICE_ROWS);
  const pullRequestStats = (filters: TaskFilters) =>
    dialect.summarizePullRequests !== undefined
      ? dialect.summarizePullRequests(kysely, filters)
      : queryPullRequestStats(db, filters);

  /** One slice of the table (`seq` in [from, to)): per-day counts and the finished tasks' durations. */
  async function slice(filters: TaskFilters, from: number, to: number) {
    const rows = kysely
      .selectFrom("tasks")
      .where((eb) => taskFilterCondition(eb, filters))
      .where("seq", ">=", from)
      .where("seq", "<", to);
    const days = await rows
      .select((eb) => {
        // Literal (not bound) arguments so SELECT and GROUP BY are the same expression
        // on dialects that compare them textually (PostgreSQL).
        const day = eb.fn<string>("substr", ["created_at", eb.lit(1), eb.lit(10)]);
        const countWhere = (statuses: readonly Task["status"][]) =>
          eb.fn.sum<number>(eb.case().when("status", "in", statuses).then(1).else(0).end());
        return [
          day.as("date"),
          eb.fn.countAll<number>().as("tasks"),
          countWhere(["completed"]).as("completed"),
          countWhere(["failed", "setup_failed"]).as("failed"),
          countWhere(FINAL_TASK_STATUSES).as("finished"),
          eb.fn.sum<number>("input_tokens").as("input"),
          eb.fn.sum<number>("cached_input_tokens").as("cached"),
          eb.fn.sum<number>("output_tokens").as("output"),
        ];
      })
      .groupBy((eb) => eb.fn("substr", ["created_at", eb.lit(1), eb.lit(10)]))
      .execute();
    await yieldToEventLoop();
    const durations = await rows
      .where("status", "in", FINAL_TASK_STATUSES)
      .where("started_at", "is not", null)
      .where("finished_at", "is not", null)
      .select((eb) => dialect.durationMs(eb.ref("started_at"), eb.ref("finished_at")).as("ms"))
      .execute();
    return { days, durations: durations.map((row) => Math.max(0, num(row.ms))) };
  }

  return {
    async taskStats(filters) {
      if (dialect.summarizeTasks !== undefined) {
        const [summary, pullRequests] = await Promise.all([
          dialect.summarizeTasks(kysely, filters),
          pullRequestStats(filters),
        ]);
        return { ...summary, pullRequests };
      }
      const bounds = await kysely
        .selectFrom("tasks")
        .select((eb) => [eb.fn.min<number>("seq").as("low"), eb.fn.max<number>("seq").as("high")])
        .executeTakeFirst();
      const byDay = new Map<string, TaskStatsDay>();
      const durations: number[] = [];
      let finished = 0;
      if (bounds?.low !== null && bounds?.low !== undefined) {
        const high = num(bounds.high);
        for (let from = num(bounds.low); from <= high; from += sliceRows) {
          const part = await slice(filters, from, from + sliceRows);
          for (const row of part.days) {
            const day = byDay.get(row.date) ?? {
              date: row.date,
              tasks: 0,
              completed: 0,
              failed: 0,
              usage: { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 },
            };
            day.tasks += num(row.tasks);
            day.completed += num(row.completed);
            day.failed += num(row.failed);
            day.usage.inputTokens += num(row.input);
            day.usage.cachedInputTokens += num(row.cached);
            day.usage.outputTokens += num(row.output);
            byDay.set(row.date, day);
            finished += num(row.finished);
          }
          for (const ms of part.durations) durations.push(ms);
          await yieldToEventLoop();
        }
      }
      const days = [...byDay.values()].sort((a, b) => a.date.localeCompare(b.date));
      const sum = (pick: (day: TaskStatsDay) => number) =>
        days.reduce((total, day) => total + pick(day), 0);
      const completed = sum((day) => day.completed);
      return {
        pullRequests: await pullRequestStats(filters),
        days,
        total: sum((day) => day.tasks),
        successRate: finished === 0 ? null : completed / finished,
        medianDurationMs: median(durations),
        usage: {
          inputTokens: sum((day) => day.usage.inputTokens),
          cachedInputTokens: sum((day) => day.usage.cachedInputTokens),
          outputTokens: sum((day) => day.usage.outputTokens),
        },
      };
    },

    async *exportRows(filters, pageSize = EXPORT_PAGE_SIZE) {
      let before: number | null = null;
      for (;;) {
        // Each page is its own short query, so no read transaction is held while the
        // consumer writes a slow HTTP response.
        const rows = await selectSummaryRows(kysely, filters, before, pageSize);
        const afterPr = await exportPullRequests(
          db,
          rows.map((row) => row.id),
        );
        for (const row of rows) {
          yield { ...rowToTaskSummary(row), afterPr: afterPr.get(row.id) ?? null };
        }
        const last = rows.at(-1);
        if (rows.length < pageSize || last === undefined) return;
        before = last.seq;
      }
    },
  };
}
