import type { Kysely, Migration } from "kysely";

/**
 * Leases (the columns came with 0009): workers look for running tasks whose lease has
 * expired every few seconds, and check their own tasks' status every second, so both
 * find their rows by index rather than by scanning every task ever run.
 */
export function taskLeasesMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createIndex("tasks_status_lease")
        .on("tasks")
        .columns(["status", "lease_expires_at"])
        .execute();
      await db.schema.createIndex("tasks_owner").on("tasks").column("owner").execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex("tasks_owner").execute();
      await db.schema.dropIndex("tasks_status_lease").execute();
    },
  };
}
