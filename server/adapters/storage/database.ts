import type { CreateTableBuilder, ColumnDataType, Expression, Kysely, RawBuilder } from "kysely";
import type { TaskStatsResponse } from "../../../shared/stats.js";
import type { StorageSchema } from "./schema.js";
import type { TaskFilters } from "./task-filters.js";

/** History's pull request figures: in total, per day, ISO week, month and repository. */
export type PullRequestStats = NonNullable<TaskStatsResponse["pullRequests"]>;

/**
 * The few things that differ between SQL dialects. Everything else in this adapter is
 * portable kysely, so adding PostgreSQL means writing one more of these.
 */
export interface StorageDialect {
  readonly name: "sqlite" | "postgres";
  /**
   * The column type of a point in time. Values are written and read as ISO-8601 UTC
   * strings with milliseconds (see timestamps.ts) on every dialect: `text` on SQLite,
   * `timestamptz` on PostgreSQL (its driver is told to hand them back as ISO strings).
   * Use it for every new `*_at` column: `.addColumn("seen_at", dialect.timestamp)`.
   */
  readonly timestamp: ColumnDataType;
  /** The column type of bytes: `blob` on SQLite, `bytea` on PostgreSQL (both read as a Buffer). */
  readonly bytes: ColumnDataType;
  /** Whether an error thrown by the driver is a unique-constraint violation. */
  isUniqueViolation(error: unknown): boolean;
  /** Whether an error thrown by the driver is a foreign-key violation (a missing parent row). */
  isForeignKeyViolation(error: unknown): boolean;
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
  /**
   * Makes the transaction's later statements the only claim under limits running on the
   * database until it commits (PostgreSQL: a transaction-level advisory lock, so a count
   * read after it cannot be stale). SQLite needs nothing: one process, one writer.
   */
  serializeClaims(trx: Kysely<StorageSchema>): Promise<void>;
  /**
   * History's summary as one set of SQL aggregates, for drivers that do not block the
   * event loop while a query runs. Absent (SQLite) means: read the table in slices.
   */
  summarizeTasks?(kysely: Kysely<StorageSchema>, filters: TaskFilters): Promise<TaskStatsResponse>;
  /**
   * History's pull request figures grouped in SQL, so only the groups reach Node.
   * Absent (SQLite) means: read the pull requests and group them in Node.
   */
  summarizePullRequests?(
    kysely: Kysely<StorageSchema>,
    filters: TaskFilters,
  ): Promise<PullRequestStats>;
}

/** An open, migrated database: the handle every store of this adapter is built on. */
export interface Database {
  readonly kysely: Kysely<StorageSchema>;
  readonly dialect: StorageDialect;
  /**
   * A number that changes whenever another connection (another process, such as
   * `npm run review`) commits to the database (on PostgreSQL: announces a task list write,
   * or always while this process cannot hear announcements). With a store's count of its own writes,
   * it tells a cache whether what it read may have changed since.
   */
  externalChangeCount(): number;
  /**
   * Writes to what task lists show, made through this connection: counted here rather
   * than in a store, so every TaskStore on the connection sees the others' writes.
   */
  taskWriteCount(): number;
  /**
   * Counts a write to what task lists show once it has run; on PostgreSQL it is also
   * announced, so other processes' list caches drop what they hold.
   */
  taskWritten(): void;
  /** Closes the connection; safe to call more than once (the stores share it). */
  close(): Promise<void>;
}
