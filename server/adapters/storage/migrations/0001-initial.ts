import { sql } from "kysely";
import type { Kysely, Migration } from "kysely";
import type { StorageDialect } from "../database.js";

/**
 * The first schema: tasks, their event logs and sessions. Migrations take `Kysely<unknown>`
 * on purpose: they describe the schema as it was then, not as the code types it now.
 * Times use `dialect.timestamp`, which is the `text` this migration always created on
 * SQLite (so released SQLite databases are unchanged) and `timestamptz` on PostgreSQL.
 */
export function initialMigration(dialect: StorageDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await dialect
        .addSerialPrimaryKey(db.schema.createTable("tasks"), "seq")
        .addColumn("id", "text", (c) => c.notNull().unique())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("ticket_key", "text")
        .addColumn("repo", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("phase", "text", (c) => c.notNull())
        .addColumn("outcome", "text")
        .addColumn("thread_id", "text")
        .addColumn("branch", "text")
        .addColumn("base_branch", "text", (c) => c.notNull())
        .addColumn("pull_request", "text")
        .addColumn("analysis", "text")
        .addColumn("summary", "text")
        .addColumn("tests_passed", "integer")
        .addColumn("error", "text")
        .addColumn("input_tokens", "bigint", (c) => c.notNull().defaultTo(0))
        .addColumn("cached_input_tokens", "bigint", (c) => c.notNull().defaultTo(0))
        .addColumn("output_tokens", "bigint", (c) => c.notNull().defaultTo(0))
        .addColumn("prompt", "text")
        .addColumn("instructions", "text")
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("created_at", dialect.timestamp, (c) => c.notNull())
        .addColumn("started_at", dialect.timestamp)
        .addColumn("finished_at", dialect.timestamp)
        .addColumn("ticket_snapshot", "text")
        .addColumn("updated_at", dialect.timestamp, (c) => c.notNull())
        .addColumn("last_event_seq", "integer", (c) => c.notNull().defaultTo(0))
        .execute();

      // The database, not the application, guarantees one active task per ticket: a
      // check-then-insert in code would race between requests and between workers.
      await db.schema
        .createIndex("tasks_one_active_per_ticket")
        .on("tasks")
        .column("ticket_key")
        .unique()
        .where(sql.ref("status"), "in", ["queued", "running"])
        .execute();

      // Every list filter is an equality followed by `seq < cursor ORDER BY seq DESC`,
      // so (column, seq) serves both the filter and the keyset page.
      for (const column of ["status", "ticket_key", "repo", "created_by", "outcome"]) {
        await db.schema
          .createIndex(`tasks_${column}_seq`)
          .on("tasks")
          .columns([column, "seq"])
          .execute();
      }
      await db.schema.createIndex("tasks_created_at").on("tasks").column("created_at").execute();

      await dialect
        .clusterByPrimaryKey(db.schema.createTable("task_events"))
        .addColumn("task_id", "text", (c) => c.notNull().references("tasks.id").onDelete("cascade"))
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("payload", "text", (c) => c.notNull())
        .addColumn("at", dialect.timestamp, (c) => c.notNull())
        .addPrimaryKeyConstraint("task_events_pk", ["task_id", "seq"])
        .execute();

      await db.schema
        .createTable("sessions")
        .addColumn("id_hash", "text", (c) => c.primaryKey())
        .addColumn("user", "text", (c) => c.notNull())
        .addColumn("created_at", dialect.timestamp, (c) => c.notNull())
        .addColumn("expires_at", dialect.timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("sessions_expires_at")
        .on("sessions")
        .column("expires_at")
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable("sessions").execute();
      await db.schema.dropTable("task_events").execute();
      await db.schema.dropTable("tasks").execute();
    },
  };
}
