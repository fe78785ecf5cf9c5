import type { Kysely, Migration } from "kysely";
import type { StorageDialect } from "../database.js";

/**
 * The agent slots every process of a worker shares (the server and `npm run review`):
 * one row per request, waiting or held, with a lease its process renews; and one row
 * per pool, which each grant updates first so that grants in a pool take turns (on
 * PostgreSQL the row lock; on SQLite the one writer).
 */
export function agentSlotLeasesMigration(dialect: StorageDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("agent_slot_pools")
        .addColumn("pool", "text", (c) => c.primaryKey())
        .addColumn("granted_at", dialect.timestamp, (c) => c.notNull())
        .execute();
      await dialect
        .addSerialPrimaryKey(db.schema.createTable("agent_slot_leases"), "id")
        .addColumn("pool", "text", (c) => c.notNull())
        .addColumn("holder", "text", (c) => c.notNull())
        // 0 a task, 1 a review: lower goes first.
        .addColumn("priority_rank", "integer", (c) => c.notNull())
        .addColumn("held", "integer", (c) => c.notNull())
        .addColumn("requested_at", dialect.timestamp, (c) => c.notNull())
        .addColumn("expires_at", dialect.timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("agent_slot_leases_pool")
        .on("agent_slot_leases")
        .columns(["pool", "held", "priority_rank", "id"])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable("agent_slot_leases").execute();
      await db.schema.dropTable("agent_slot_pools").execute();
    },
  };
}
