import type { Kysely, Migration } from "kysely";
import type { StorageDialect } from "../database.js";

/**
 * The model gateway's ledger: one row per model request it let through (with the usage
 * and estimated cost of its response), and the budget people added to tasks. Budgets are
 * checked against sums of these rows: per task, and per day by everyone, one person or
 * one repository (the two indexes).
 */
export function modelUsageMigration(dialect: StorageDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("model_requests")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("owner_kind", "text", (c) => c.notNull())
        .addColumn("owner_id", "text", (c) => c.notNull())
        .addColumn("person", "text")
        .addColumn("repo", "text")
        .addColumn("day", "text", (c) => c.notNull())
        .addColumn("at", "text", (c) => c.notNull())
        .addColumn("input_tokens", "bigint", (c) => c.notNull().defaultTo(0))
        .addColumn("cached_input_tokens", "bigint", (c) => c.notNull().defaultTo(0))
        .addColumn("output_tokens", "bigint", (c) => c.notNull().defaultTo(0))
        .addColumn("reasoning_tokens", "bigint", (c) => c.notNull().defaultTo(0))
        .addColumn("cost", "double precision", (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createIndex("model_requests_owner")
        .on("model_requests")
        .column("owner_id")
        .execute();
      await db.schema
        .createIndex("model_requests_day_person")
        .on("model_requests")
        .columns(["day", "person"])
        .execute();
      await db.schema
        .createIndex("model_requests_day_repo")
        .on("model_requests")
        .columns(["day", "repo"])
        .execute();
      await dialect
        .addSerialPrimaryKey(db.schema.createTable("budget_grants"), "seq")
        .addColumn("owner_id", "text", (c) => c.notNull())
        .addColumn("amount", "double precision", (c) => c.notNull())
        .addColumn("granted_by", "text", (c) => c.notNull())
        .addColumn("at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("budget_grants_owner")
        .on("budget_grants")
        .column("owner_id")
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable("budget_grants").execute();
      await db.schema.dropTable("model_requests").execute();
    },
  };
}
