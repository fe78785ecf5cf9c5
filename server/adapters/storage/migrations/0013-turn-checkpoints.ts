import type { Kysely, Migration } from "kysely";
import type { StorageDialect } from "../database.js";

/**
 * Each task's latest turn checkpoint (the agent's thread and the worktree's changes,
 * gzipped), which another worker restores when it takes the task over. One row per task:
 * a turn's checkpoint replaces the previous one.
 */
export function turnCheckpointsMigration(dialect: StorageDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("turn_checkpoints")
        .addColumn("task_id", "text", (c) => c.primaryKey())
        .addColumn("turn", "integer", (c) => c.notNull())
        .addColumn("thread_id", "text", (c) => c.notNull())
        .addColumn("base_sha", "text", (c) => c.notNull())
        .addColumn("rollouts", dialect.bytes, (c) => c.notNull())
        .addColumn("changes", dialect.bytes, (c) => c.notNull())
        .addColumn("size_bytes", "integer", (c) => c.notNull())
        .addColumn("saved_at", dialect.timestamp, (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable("turn_checkpoints").execute();
    },
  };
}
