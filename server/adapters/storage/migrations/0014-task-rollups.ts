import { sql } from "kysely";
import type { Kysely, Migration } from "kysely";
import type { StorageDialect } from "../database.js";
import { createRollupTriggers } from "./statement-trigger.js";

/**
 * History's summary from per-day rollups on PostgreSQL (issue #15: at a million tasks the
 * whole-table aggregates took 6-7 s). Two tables, kept right by statement-level triggers
 * on `tasks` (so every writer on every node, bulk loads included, updates them in the
 * same transaction), and backfilled here:
 *
 * - `task_rollups`: per UTC day of `created_at`, repository, creator, status and outcome
 *   (`''` for none), the task count and token sums.
 * - `task_duration_rollups`: per UTC day and finished status, a histogram of durations
 *   (`finished_at - started_at`, milliseconds) in log buckets 10 per e-fold (each about
 *   10.5 % wide): bucket 0 holds 0 ms, bucket b >= 1 holds [e^((b-1)/10), e^(b/10)).
 *   It only locates the bucket of the median's rank; the median itself is then read
 *   exactly from `tasks_finished_duration` (an index on the same duration), so it is the
 *   exact median, not an interpolation.
 *
 * The triggers group their transition tables by key and skip keys whose net change is
 * zero, so the frequent updates that touch no rolled-up field (events, phases) write
 * nothing. SQLite keeps computing the summary from `tasks` (its path slices by time), so
 * this migration does nothing there.
 */
export function taskRollupsMigration(dialect: StorageDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect.name !== "postgres") return;
      await sql`
        create table task_rollups (
          day text not null,
          repo text not null,
          created_by text not null,
          status text not null,
          outcome text not null,
          tasks bigint not null,
          input_tokens bigint not null,
          cached_input_tokens bigint not null,
          output_tokens bigint not null,
          primary key (day, repo, created_by, status, outcome)
        )`.execute(db);
      await sql`
        create table task_duration_rollups (
          day text not null,
          status text not null,
          bucket integer not null,
          tasks bigint not null,
          primary key (day, status, bucket)
        )`.execute(db);
      // The duration as the summary's median defines it, and its bucket (see above).
      await sql`
        create function task_duration_ms(started timestamptz, finished timestamptz)
        returns numeric language sql immutable parallel safe
        as $$ select greatest(0, round(extract(epoch from (finished - started)) * 1000)) $$`.execute(
        db,
      );
      await sql`
        create function task_duration_bucket(ms numeric)
        returns integer language sql immutable parallel safe
        as $$ select case when ms < 1 then 0 else 1 + floor(ln(ms) * 10)::integer end $$`.execute(
        db,
      );
      // Covering what the median's filters (status, from, to) read, so finding the median
      // in its bucket is an index-only scan: the heap fetches of a bucket (26,000 rows at a
      // million tasks) took a second.
      await sql`
        create index tasks_finished_duration on tasks (task_duration_ms(started_at, finished_at))
        include (status, created_at, started_at, finished_at)
        where status in ('completed', 'failed', 'cancelled')
          and started_at is not null and finished_at is not null`.execute(db);
      // One row of change per task row: +1 for a row as it is now, -1 as it was.
      const delta = (rows: string, sign: 1 | -1) => `
        select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') as day, repo, created_by,
          status, coalesce(outcome, '') as outcome, ${sign} as n,
          ${sign} * input_tokens as input, ${sign} * cached_input_tokens as cached,
          ${sign} * output_tokens as output,
          case when status in ('completed', 'failed', 'cancelled')
              and started_at is not null and finished_at is not null
            then task_duration_bucket(task_duration_ms(started_at, finished_at)) end as bucket
        from ${rows}`;
      // Keys in order, so concurrent writers lock rollup rows in the same order.
      const apply = (source: string) => `
        with delta as (${source}),
        counted as (
          insert into task_rollups as r (day, repo, created_by, status, outcome, tasks,
            input_tokens, cached_input_tokens, output_tokens)
          select day, repo, created_by, status, outcome, sum(n), sum(input), sum(cached),
            sum(output)
          from delta group by 1, 2, 3, 4, 5
          having sum(n) <> 0 or sum(input) <> 0 or sum(cached) <> 0 or sum(output) <> 0
          order by 1, 2, 3, 4, 5
          on conflict (day, repo, created_by, status, outcome) do update set
            tasks = r.tasks + excluded.tasks,
            input_tokens = r.input_tokens + excluded.input_tokens,
            cached_input_tokens = r.cached_input_tokens + excluded.cached_input_tokens,
            output_tokens = r.output_tokens + excluded.output_tokens
          returning 1
        )
        insert into task_duration_rollups as r (day, status, bucket, tasks)
        select day, status, bucket, sum(n) from delta where bucket is not null
        group by 1, 2, 3 having sum(n) <> 0 order by 1, 2, 3
        on conflict (day, status, bucket) do update set tasks = r.tasks + excluded.tasks`;
      await createRollupTriggers(
        db,
        "tasks",
        (event) => ({ trigger: `task_rollups_${event}`, fn: `task_rollups_after_${event}` }),
        delta,
        apply,
      );
      // The rows already there, as one insert of every task would have counted them.
      await sql.raw(apply(delta("tasks", 1))).execute(db);
    },

    async down(db: Kysely<unknown>): Promise<void> {
      if (dialect.name !== "postgres") return;
      for (const event of ["insert", "update", "delete"]) {
        await sql.raw(`drop trigger task_rollups_${event} on tasks`).execute(db);
        await sql.raw(`drop function task_rollups_after_${event}()`).execute(db);
      }
      await sql`drop index tasks_finished_duration`.execute(db);
      await sql`drop function task_duration_bucket(numeric)`.execute(db);
      await sql`drop function task_duration_ms(timestamptz, timestamptz)`.execute(db);
      await db.schema.dropTable("task_duration_rollups").execute();
      await db.schema.dropTable("task_rollups").execute();
    },
  };
}
