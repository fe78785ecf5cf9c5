import type { Kysely, Migration } from "kysely";

/**
 * The per-person run budget as counters every node shares: one row per person and
 * window (`window_index` = start time / window length), bumped by an atomic upsert.
 */
export function runGateWindowsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("run_gate_windows")
        .addColumn("person", "text", (c) => c.notNull())
        .addColumn("window_index", "bigint", (c) => c.notNull())
        .addColumn("runs", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("run_gate_windows_pk", ["person", "window_index"])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable("run_gate_windows").execute();
    },
  };
}
