import { sql } from "kysely";
import type { Kysely, Migration } from "kysely";
import type { StorageDialect } from "../database.js";
import { createStatementTrigger } from "./statement-trigger.js";

/**
 * History's pull request figures from per-day rollups on PostgreSQL (issue #15: the
 * aggregate over `pull_requests` joined to `tasks` took 4.4-5.8 s at a million tasks).
 * Two tables, kept by statement-level triggers on `pull_requests` and `tasks` in the
 * writer's own transaction, and backfilled here:
 *
 * - `pull_request_rollups`: per UTC day the pull request was opened (`left(opened_at, 10)`),
 *   its repository and its task's repository (what the `repo` filter reads, as the exact
 *   query filters tasks), the counts (opened, merged, closed, CI verdicts, first push
 *   green), the rounds and the merged pull requests' task token sums.
 * - `pull_request_duration_rollups`: per the same key and kind (`click`: task created to
 *   pull request opened; `merge`: opened to merged, merged ones only), a histogram in
 *   migration 0014's log buckets (about 10.5 % wide) from which medians are interpolated;
 *   `pull_request_day_durations` and `pull_request_repo_durations`, the same summed per
 *   day and per repository, so the unfiltered figures read no more rows than they need.
 *
 * A task's delete cascades to its pull request only after the task row is gone, when
 * neither table's statement trigger can read the pair any more (both fire after the
 * cascade); so a row-level BEFORE DELETE trigger on `tasks` deletes the pull request
 * first, through the pull request trigger, while the task is still there. Patchboard
 * itself never deletes tasks, so the per-row cost only falls on hand-made deletes.
 * SQLite keeps computing the figures from the tables, so this migration does nothing there.
 */
export function pullRequestRollupsMigration(dialect: StorageDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect.name !== "postgres") return;
      // Everything this migration runs is written inside up(): the test databases'
      // template is keyed by a hash of each migration's up() source.
      /** The columns of a task that a pull request's rollup reads (click time, repo, tokens). */
      const taskColumns = [
        "created_at",
        "repo",
        "input_tokens",
        "cached_input_tokens",
        "output_tokens",
      ];

      /**
       * One row of change per pull request in `prs` (joined to its task in `tasks`): +1 as the
       * pair is now, -1 as it was. The durations are those of `postgres-pull-request-stats.ts`'s
       * exact query (milliseconds truncated, never negative), bucketed as migration 0014 does.
       */
      const delta = (prs: string, tasks: string, sign: 1 | -1) => `
        select left(p.opened_at, 10) as day, p.repo, t.repo as task_repo, ${sign} as n,
          ${sign} * (p.state = 'merged')::int as merged,
          ${sign} * (p.state = 'closed')::int as closed,
          ${sign} * (p.first_ci_green is not null)::int as verdicts,
          ${sign} * coalesce((p.first_ci_green = 1)::int, 0) as green,
          ${sign} * (p.ci_rounds + p.review_rounds)::bigint as rounds,
          case when p.state = 'merged' then ${sign} * t.input_tokens::bigint else 0 end as input,
          case when p.state = 'merged' then ${sign} * t.cached_input_tokens::bigint else 0 end
            as cached,
          case when p.state = 'merged' then ${sign} * t.output_tokens::bigint else 0 end as output,
          task_duration_bucket(pull_request_ms(t.created_at, p.opened_at::timestamptz)) as click,
          case when p.state = 'merged' then task_duration_bucket(
            pull_request_ms(p.opened_at::timestamptz, coalesce(p.merged_at, p.opened_at)::timestamptz)
          ) end as merge
        from ${prs} p join ${tasks} t on t.id = p.task_id`;

      /**
       * Adds a delta to both rollup tables: grouped by key, keys whose net change is zero
       * skipped (so updates to other columns write nothing), keys in order so concurrent
       * writers lock rollup rows in the same order.
       */
      const apply = (source: string) => `
        with delta as (${source}),
        counted as (
          insert into pull_request_rollups as r (day, repo, task_repo, pull_requests, merged, closed,
            verdicts, green, rounds, input_tokens, cached_input_tokens, output_tokens)
          select day, repo, task_repo, sum(n), sum(merged), sum(closed), sum(verdicts), sum(green),
            sum(rounds), sum(input), sum(cached), sum(output)
          from delta group by 1, 2, 3
          having sum(n) <> 0 or sum(merged) <> 0 or sum(closed) <> 0 or sum(verdicts) <> 0
            or sum(green) <> 0 or sum(rounds) <> 0 or sum(input) <> 0 or sum(cached) <> 0
            or sum(output) <> 0
          order by 1, 2, 3
          on conflict (day, repo, task_repo) do update set
            pull_requests = r.pull_requests + excluded.pull_requests,
            merged = r.merged + excluded.merged,
            closed = r.closed + excluded.closed,
            verdicts = r.verdicts + excluded.verdicts,
            green = r.green + excluded.green,
            rounds = r.rounds + excluded.rounds,
            input_tokens = r.input_tokens + excluded.input_tokens,
            cached_input_tokens = r.cached_input_tokens + excluded.cached_input_tokens,
            output_tokens = r.output_tokens + excluded.output_tokens
          returning 1
        ),
        durations as (
          select day, repo, task_repo, 'click' as kind, click as bucket, n from delta
          union all
          select day, repo, task_repo, 'merge', merge, n from delta where merge is not null
        ),
        keyed as (
          insert into pull_request_duration_rollups as r (day, repo, task_repo, kind, bucket,
            pull_requests)
          select day, repo, task_repo, kind, bucket, sum(n) from durations
          group by 1, 2, 3, 4, 5 having sum(n) <> 0 order by 1, 2, 3, 4, 5
          on conflict (day, repo, task_repo, kind, bucket) do update set
            pull_requests = r.pull_requests + excluded.pull_requests
          returning 1
        ),
        daily as (
          insert into pull_request_day_durations as r (day, kind, bucket, pull_requests)
          select day, kind, bucket, sum(n) from durations
          group by 1, 2, 3 having sum(n) <> 0 order by 1, 2, 3
          on conflict (day, kind, bucket) do update set
            pull_requests = r.pull_requests + excluded.pull_requests
          returning 1
        )
        insert into pull_request_repo_durations as r (repo, task_repo, kind, bucket,
          pull_requests)
        select repo, task_repo, kind, bucket, sum(n) from durations
        group by 1, 2, 3, 4 having sum(n) <> 0 order by 1, 2, 3, 4
        on conflict (repo, task_repo, kind, bucket) do update set
          pull_requests = r.pull_requests + excluded.pull_requests`;

      /** The rows of `rows` whose rolled-up columns differ from the same task in `other`. */
      const changedTasks = (rows: string, other: string) => `(
        select r.* from ${rows} r join ${other} o on o.id = r.id
        where (${taskColumns.map((c) => `r.${c}`).join(", ")})
          is distinct from (${taskColumns.map((c) => `o.${c}`).join(", ")}))`;

      /** The statement-level AFTER triggers: [table, event, referencing, body]. */
      const triggers = [
        [
          "pull_requests",
          "insert",
          "referencing new table as new_rows",
          apply(delta("new_rows", "tasks", 1)),
        ],
        [
          "pull_requests",
          "update",
          "referencing old table as old_rows new table as new_rows",
          apply(`${delta("new_rows", "tasks", 1)} union all ${delta("old_rows", "tasks", -1)}`),
        ],
        // Inner join: a pull request deleted by its task's cascade finds no task; its share was
        // taken out before, by `pull_request_rollups_task_delete`.
        [
          "pull_requests",
          "delete",
          "referencing old table as old_rows",
          apply(delta("old_rows", "tasks", -1)),
        ],
        // A task's click time, repository or tokens moving its pull request's share. A new task
        // has no pull request yet (the foreign key), so inserts need nothing.
        [
          "tasks",
          "update",
          "referencing old table as old_rows new table as new_rows",
          apply(
            `${delta("pull_requests", changedTasks("new_rows", "old_rows"), 1)} union all
            ${delta("pull_requests", changedTasks("old_rows", "new_rows"), -1)}`,
          ),
        ],
      ] as const;
      await sql`
        create table pull_request_rollups (
          day text not null,
          repo text not null,
          task_repo text not null,
          pull_requests bigint not null,
          merged bigint not null,
          closed bigint not null,
          verdicts bigint not null,
          green bigint not null,
          rounds bigint not null,
          input_tokens bigint not null,
          cached_input_tokens bigint not null,
          output_tokens bigint not null,
          primary key (day, repo, task_repo)
        )`.execute(db);
      await sql`
        create table pull_request_duration_rollups (
          day text not null,
          repo text not null,
          task_repo text not null,
          kind text not null check (kind in ('click', 'merge')),
          bucket integer not null,
          pull_requests bigint not null,
          primary key (day, repo, task_repo, kind, bucket)
        )`.execute(db);
      // The same histograms summed over repositories, and over days: the unfiltered
      // figures' days and every query's repositories read these, about 16,000 and 200 rows
      // at a million tasks instead of summing 65,000 per request (80-130 ms).
      await sql`
        create table pull_request_day_durations (
          day text not null,
          kind text not null check (kind in ('click', 'merge')),
          bucket integer not null,
          pull_requests bigint not null,
          primary key (day, kind, bucket)
        )`.execute(db);
      await sql`
        create table pull_request_repo_durations (
          repo text not null,
          task_repo text not null,
          kind text not null check (kind in ('click', 'merge')),
          bucket integer not null,
          pull_requests bigint not null,
          primary key (repo, task_repo, kind, bucket)
        )`.execute(db);
      // Milliseconds between two times as the exact query computes them: truncated to the
      // millisecond (as the SQLite path's Date.parse reads them), never negative.
      await sql`
        create function pull_request_ms(started timestamptz, ended timestamptz)
        returns numeric language sql stable parallel safe
        as $$ select greatest(0, extract(epoch from (
          date_trunc('milliseconds', ended) - date_trunc('milliseconds', started))) * 1000) $$`.execute(
        db,
      );
      for (const [table, event, referencing, body] of triggers) {
        const name = `pull_request_rollups_${table === "tasks" ? "task_" : ""}${event}`;
        await createStatementTrigger(db, {
          trigger: name,
          fn: name,
          table,
          event,
          referencing,
          body,
        });
      }
      await sql`
        create function pull_request_rollups_task_delete() returns trigger language plpgsql as $$
        begin
          delete from pull_requests where task_id = old.id;
          return old;
        end $$`.execute(db);
      await sql`
        create trigger pull_request_rollups_task_delete before delete on tasks
        for each row execute function pull_request_rollups_task_delete()`.execute(db);
      // The rows already there, as one insert of every pull request would have counted them.
      await sql.raw(apply(delta("pull_requests", "tasks", 1))).execute(db);
    },

    async down(db: Kysely<unknown>): Promise<void> {
      if (dialect.name !== "postgres") return;
      const triggers = [
        ["pull_requests", "pull_request_rollups_insert"],
        ["pull_requests", "pull_request_rollups_update"],
        ["pull_requests", "pull_request_rollups_delete"],
        ["tasks", "pull_request_rollups_task_update"],
        ["tasks", "pull_request_rollups_task_delete"],
      ] as const;
      for (const [table, name] of triggers) {
        await sql.raw(`drop trigger ${name} on ${table}`).execute(db);
        await sql.raw(`drop function ${name}()`).execute(db);
      }
      await sql`drop function pull_request_ms(timestamptz, timestamptz)`.execute(db);
      await db.schema.dropTable("pull_request_repo_durations").execute();
      await db.schema.dropTable("pull_request_day_durations").execute();
      await db.schema.dropTable("pull_request_duration_rollups").execute();
      await db.schema.dropTable("pull_request_rollups").execute();
    },
  };
}
