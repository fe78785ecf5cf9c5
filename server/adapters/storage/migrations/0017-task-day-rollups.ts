import { sql } from "kysely";
import type { Kysely, Migration } from "kysely";
import type { StorageDialect } from "../database.js";
import { createRollupTriggers } from "./statement-trigger.js";

/**
 * Per UTC day and status, the task count and token sums, on PostgreSQL: what History's
 * summary reads when it is filtered by nothing but status and whole days (the page's
 * default). `task_rollups` (migration 0014) answers that too, but it is also keyed by
 * repository, person and outcome: 144,943 rows at a million tasks, whose per-day scan
 * took 95-144 ms of the summary's ~200 ms task half (bench figure 11, load ~4), against
 * about 1,800 rows here. Kept by statement-level triggers on `tasks`, like 0014's, and
 * backfilled from `task_rollups`; SQLite computes the summary from `tasks`, so this
 * migration does nothing there.
 */
export function taskDayRollupsMigration(dialect: StorageDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect.name !== "postgres") return;
      await sql`
        create table task_day_rollups (
          day text not null,
          status text not null,
          tasks bigint not null,
          input_tokens bigint not null,
          cached_input_tokens bigint not null,
          output_tokens bigint not null,
          primary key (day, status)
        )`.execute(db);
      // One row of change per task row: +1 for a row as it is now, -1 as it was.
      const delta = (rows: string, sign: 1 | -1) => `
        select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') as day, status,
          ${sign} as n, ${sign} * input_tokens as input,
          ${sign} * cached_input_tokens as cached, ${sign} * output_tokens as output
        from ${rows}`;
      // Grouped by key, zero net changes skipped (most task updates touch neither the
      // status nor the tokens), keys in order so concurrent writers lock rows in one order.
      const apply = (source: string) => `
        insert into task_day_rollups as r (day, status, tasks, input_tokens,
          cached_input_tokens, output_tokens)
        select day, status, sum(n), sum(input), sum(cached), sum(output)
        from (${source}) delta group by 1, 2
        having sum(n) <> 0 or sum(input) <> 0 or sum(cached) <> 0 or sum(output) <> 0
        order by 1, 2
        on conflict (day, status) do update set
          tasks = r.tasks + excluded.tasks,
          input_tokens = r.input_tokens + excluded.input_tokens,
          cached_input_tokens = r.cached_input_tokens + excluded.cached_input_tokens,
          output_tokens = r.output_tokens + excluded.output_tokens`;
      await createRollupTriggers(
        db,
        "tasks",
        (event) => ({ trigger: `task_day_rollups_${event}`, fn: `task_day_rollups_${event}` }),
        delta,
        apply,
      );
      // The rows already there: 0014's rollups summed, the same transaction's snapshot.
      await sql`
        insert into task_day_rollups (day, status, tasks, input_tokens, cached_input_tokens,
          output_tokens)
        select day, status, sum(tasks), sum(input_tokens), sum(cached_input_tokens),
          sum(output_tokens)
        from task_rollups group by day, status`.execute(db);
    },

    async down(db: Kysely<unknown>): Promise<void> {
      if (dialect.name !== "postgres") return;
      for (const event of ["insert", "update", "delete"]) {
        await sql.raw(`drop trigger task_day_rollups_${event} on tasks`).execute(db);
        await sql.raw(`drop function task_day_rollups_${event}()`).execute(db);
      }
      await db.schema.dropTable("task_day_rollups").execute();
    },
  };
}
