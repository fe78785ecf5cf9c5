import { sql } from "kysely";
import type { CreateTableBuilder, Expression, RawBuilder } from "kysely";
import type { StorageDialect } from "../database.js";
import { summarizePostgresPullRequests } from "./postgres-pull-request-stats.js";
import { summarizePostgresTasks } from "./postgres-task-stats.js";

/** SQLSTATEs of a unique-constraint and a foreign-key violation. */
const UNIQUE_VIOLATION = "23505";
const FOREIGN_KEY_VIOLATION = "23503";

/** The advisory lock key limited claims take turns under ("PBMC"; migrations hold "PBMG"). */
const CLAIM_LOCK_KEY = 0x50424d43;

/** The PostgreSQL specifics of the storage adapter. */
export const postgresStorageDialect: StorageDialect = {
  name: "postgres",
  // Read back as ISO strings by the pool's type parser (open-postgres-database.ts).
  timestamp: "timestamptz",
  bytes: "bytea",

  isUniqueViolation(error: unknown): boolean {
    return (error as { code?: unknown } | null)?.code === UNIQUE_VIOLATION;
  },

  isForeignKeyViolation(error: unknown): boolean {
    return (error as { code?: unknown } | null)?.code === FOREIGN_KEY_VIOLATION;
  },

  async serializeClaims(trx) {
    // Read committed takes a fresh snapshot per statement: the counts that follow see every
    // claim committed before this lock was granted.
    await sql`select pg_advisory_xact_lock(${CLAIM_LOCK_KEY})`.execute(trx);
  },

  durationMs(start: Expression<string | null>, end: Expression<string | null>): RawBuilder<number> {
    // float8 so the driver hands back a number, not numeric's string.
    return sql<number>`round(extract(epoch from (${end} - ${start})) * 1000)::float8`;
  },

  addSerialPrimaryKey<T extends string>(
    table: CreateTableBuilder<T, never>,
    column: string,
  ): CreateTableBuilder<T, string> {
    // An identity is never reused either, so cursors handed out earlier stay valid.
    return table.addColumn(column, "bigint", (c) => c.primaryKey().generatedByDefaultAsIdentity());
  },

  clusterByPrimaryKey<T extends string, C extends string>(
    table: CreateTableBuilder<T, C>,
  ): CreateTableBuilder<T, C> {
    // PostgreSQL tables are heaps; the primary key's index is what serves reads.
    return table;
  },

  summarizeTasks: summarizePostgresTasks,
  summarizePullRequests: summarizePostgresPullRequests,
};
