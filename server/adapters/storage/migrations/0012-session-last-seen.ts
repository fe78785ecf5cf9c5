import type { Kysely, Migration } from "kysely";
import type { StorageDialect } from "../database.js";

/**
 * When each browser session last made a request, for the admin Sessions page: a session
 * nobody has used for weeks is one to revoke. Existing sessions get null (never recorded)
 * rather than a guess; the first request after the upgrade fills it in.
 */
export function sessionLastSeenMigration(dialect: StorageDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("sessions").addColumn("last_seen_at", dialect.timestamp).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("sessions").dropColumn("last_seen_at").execute();
    },
  };
}
