import BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import type { Logger } from "pino";
import type { Database } from "../database.js";
import { runMigrations } from "../migrate.js";
import type { StorageSchema } from "../schema.js";
import { sqliteStorageDialect } from "./sqlite-dialect.js";

/** Options of {@link openSqliteDatabase}. */
export interface OpenSqliteDatabaseOptions {
  /** Path of the database file, or `:memory:`. */
  file: string;
  logger: Logger;
  /** Migrate only up to this migration; for tests that need an older schema. */
  migrateTo?: string;
}

/** A SQLite {@link Database}, which also exposes the raw connection for bulk seeding. */
export interface SqliteDatabase extends Database {
  /** The better-sqlite3 handle; only seeding and tests use it, stores go through kysely. */
  readonly connection: BetterSqlite3.Database;
  readonly file: string;
}

/** How long a writer waits for another connection's lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating if needed) a SQLite database in WAL mode and migrates it. Several
 * processes may open the same file at once: migrations run inside one
 * `BEGIN IMMEDIATE` transaction, so they wait for each other and a failure leaves
 * nothing half-applied.
 */
export async function openSqliteDatabase(
  options: OpenSqliteDatabaseOptions,
): Promise<SqliteDatabase> {
  const { file, logger } = options;
  const connection = new BetterSqlite3(file, { timeout: BUSY_TIMEOUT_MS });
  connection.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // WAL lets readers (SSE replays, lists) proceed while a worker writes; with WAL,
  // synchronous=NORMAL is durable against application crashes and much faster.
  connection.pragma("journal_mode = WAL");
  connection.pragma("synchronous = NORMAL");
  connection.pragma("foreign_keys = ON");

  const kysely = new Kysely<StorageSchema>({
    dialect: new SqliteDialect({ database: connection }),
  });

  connection.exec("BEGIN IMMEDIATE");
  try {
    const applied = await runMigrations({
      kysely,
      dialect: sqliteStorageDialect,
      logger,
      target: options.migrateTo,
    });
    connection.exec("COMMIT");
    // Without statistics SQLite answers a created_at range by sorting every matching row
    // (seconds at 100k tasks) instead of walking seq; this analyzes only when needed.
    connection.pragma("optimize = 0x10002");
    logger.info({ file, applied }, "storage opened");
  } catch (error) {
    if (connection.inTransaction) connection.exec("ROLLBACK");
    await kysely.destroy();
    throw error;
  }

  let closed: Promise<void> | undefined;
  let writes = 0;
  return {
    kysely,
    dialect: sqliteStorageDialect,
    connection,
    file,
    // SQLite's data_version: per connection, it moves only on other connections' commits.
    externalChangeCount: () => connection.pragma("data_version", { simple: true }) as number,
    taskWriteCount: () => writes,
    taskWritten() {
      writes += 1; // other connections see it through data_version
    },
    close(): Promise<void> {
      if (closed === undefined && connection.open) connection.pragma("optimize");
      closed ??= kysely.destroy();
      return closed;
    },
  };
}
