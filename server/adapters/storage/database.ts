import type { CreateTableBuilder, Expression, Kysely, RawBuilder } from "kysely";
import type { StorageSchema } from "./schema.js";

/**
 * The few things that differ between SQL dialects. Everything else in this adapter is
 * portable kysely, so adding PostgreSQL means writing one more of these.
 */
export interface StorageDialect {
  readonly name: "sqlite" | "postgres";
  /** Whether an error thrown by the driver is a unique-constraint violation. */
  isUniqueViolation(error: unknown): boolean;
  /** Milliseconds between two ISO-8601 text columns, as a number (null when either is null). */
  durationMs(start: Expression<string | null>, end: Expression<string | null>): RawBuilder<number>;
  /** Adds an auto-incrementing integer primary key column to a table being created. */
  addSerialPrimaryKey<T extends string>(
    table: CreateTableBuilder<T, never>,
    column: string,
  ): CreateTableBuilder<T, string>;
  /**
   * Stores a table in the order of its primary key, where the dialect can (SQLite
   * `WITHOUT ROWID`); a no-op elsewhere. For tables only ever read by their key.
   */
  clusterByPrimaryKey<T extends string, C extends string>(
    table: CreateTableBuilder<T, C>,
  ): CreateTableBuilder<T, C>;
}

/** An open, migrated database: the handle every store of this adapter is built on. */
export interface Database {
  readonly kysely: Kysely<StorageSchema>;
  readonly dialect: StorageDialect;
  /**
   * A number that changes whenever another connection (another process, such as
   * `npm run review`) commits to the database. With a store's count of its own writes,
   * it tells a cache whether what it read may have changed since.
   */
  externalChangeCount(): number;
  /**
   * Writes to what task lists show, made through this connection: counted here rather
   * than in a store, so every TaskStore on the connection sees the others' writes.
   */
  readonly taskWrites: { count: number };
  /** Closes the connection; safe to call more than once (the stores share it). */
  close(): Promise<void>;
}
