import type { Kysely, Migration } from "kysely";
import type { StorageDialect } from "../database.js";

/**
 * After the pull request: webhook deliveries already handled (a replay does nothing),
 * each pull request Patchboard opened with its outcome and round counts, and the
 * follow-up rounds that CI, reviews and mentions started.
 */
export function pullRequestOutcomesMigration(dialect: StorageDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await dialect
        .clusterByPrimaryKey(
          db.schema
            .createTable("webhook_deliveries")
            .addColumn("source", "text", (c) => c.notNull())
            .addColumn("delivery_id", "text", (c) => c.notNull())
            .addColumn("event", "text", (c) => c.notNull())
            .addColumn("received_at", "text", (c) => c.notNull())
            .addPrimaryKeyConstraint("webhook_deliveries_pk", ["source", "delivery_id"]),
        )
        .execute();

      await db.schema
        .createTable("pull_requests")
        .addColumn("task_id", "text", (c) =>
          c.primaryKey().references("tasks.id").onDelete("cascade"),
        )
        .addColumn("repo", "text", (c) => c.notNull())
        .addColumn("number", "integer", (c) => c.notNull())
        .addColumn("url", "text", (c) => c.notNull())
        .addColumn("branch", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("draft", "integer", (c) => c.notNull())
        .addColumn("head_sha", "text")
        .addColumn("opened_at", "text", (c) => c.notNull())
        .addColumn("merged_at", "text")
        .addColumn("closed_at", "text")
        .addColumn("ci_rounds", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("review_rounds", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("automation_stopped", "text")
        .addColumn("first_ci_green", "integer")
        .execute();
      await db.schema
        .createIndex("pull_requests_repo_number")
        .on("pull_requests")
        .columns(["repo", "number"])
        .execute();
      await db.schema
        .createIndex("pull_requests_repo_branch")
        .on("pull_requests")
        .columns(["repo", "branch"])
        .execute();
      await db.schema
        .createIndex("pull_requests_state")
        .on("pull_requests")
        .column("state")
        .execute();

      await dialect
        .clusterByPrimaryKey(
          db.schema
            .createTable("follow_up_rounds")
            .addColumn("task_id", "text", (c) =>
              c.notNull().references("tasks.id").onDelete("cascade"),
            )
            .addColumn("round_key", "text", (c) => c.notNull())
            .addColumn("trigger", "text", (c) => c.notNull())
            .addColumn("actor", "text")
            .addColumn("head_sha", "text")
            .addColumn("at", "text", (c) => c.notNull())
            .addPrimaryKeyConstraint("follow_up_rounds_pk", ["task_id", "round_key"]),
        )
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable("follow_up_rounds").execute();
      await db.schema.dropTable("pull_requests").execute();
      await db.schema.dropTable("webhook_deliveries").execute();
    },
  };
}
