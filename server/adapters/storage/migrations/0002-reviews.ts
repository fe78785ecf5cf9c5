import { sql } from "kysely";
import type { Kysely, Migration } from "kysely";
import type { StorageDialect } from "../database.js";

/**
 * The nightly review: runs and their per-pull-request results. Migrations take
 * `Kysely<unknown>` on purpose: they describe the schema as it was then.
 */
export function reviewsMigration(dialect: StorageDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await dialect
        .addSerialPrimaryKey(db.schema.createTable("review_runs"), "seq")
        .addColumn("id", "text", (c) => c.notNull().unique())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("trigger", "text", (c) => c.notNull())
        .addColumn("triggered_by", "text")
        .addColumn("window_start", dialect.timestamp, (c) => c.notNull())
        .addColumn("started_at", dialect.timestamp, (c) => c.notNull())
        .addColumn("finished_at", dialect.timestamp)
        .addColumn("heartbeat_at", dialect.timestamp, (c) => c.notNull())
        .addColumn("reviewed_count", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("failed_count", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("input_tokens", "bigint", (c) => c.notNull().defaultTo(0))
        .addColumn("cached_input_tokens", "bigint", (c) => c.notNull().defaultTo(0))
        .addColumn("output_tokens", "bigint", (c) => c.notNull().defaultTo(0))
        .addColumn("slack", "text")
        .addColumn("errors", "text", (c) => c.notNull().defaultTo("[]"))
        .execute();

      // The no-overlap lock: at most one running run, enforced by the database so two
      // processes (the server and `npm run review`) cannot both start one.
      await db.schema
        .createIndex("review_runs_one_running")
        .on("review_runs")
        .column("status")
        .unique()
        .where(sql.ref("status"), "=", "running")
        .execute();

      await db.schema
        .createTable("review_results")
        .addColumn("run_id", "text", (c) =>
          c.notNull().references("review_runs.id").onDelete("cascade"),
        )
        .addColumn("repo", "text", (c) => c.notNull())
        .addColumn("pr_number", "integer", (c) => c.notNull())
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("url", "text", (c) => c.notNull())
        .addColumn("author", "text")
        .addColumn("head_ref", "text", (c) => c.notNull())
        .addColumn("head_sha", "text", (c) => c.notNull())
        .addColumn("base_ref", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("risk_level", "text")
        .addColumn("review", "text")
        .addColumn("error", "text")
        .addColumn("ticket", "text")
        .addColumn("input_tokens", "bigint", (c) => c.notNull().defaultTo(0))
        .addColumn("cached_input_tokens", "bigint", (c) => c.notNull().defaultTo(0))
        .addColumn("output_tokens", "bigint", (c) => c.notNull().defaultTo(0))
        .addColumn("started_at", dialect.timestamp, (c) => c.notNull())
        .addColumn("finished_at", dialect.timestamp, (c) => c.notNull())
        .addPrimaryKeyConstraint("review_results_pk", ["run_id", "repo", "pr_number"])
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable("review_results").execute();
      await db.schema.dropTable("review_runs").execute();
    },
  };
}
