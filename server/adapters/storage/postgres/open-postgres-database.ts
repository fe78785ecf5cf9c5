import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Logger } from "pino";
import { AppError } from "../../../domain/app-error.js";
import type { Database } from "../database.js";
import { runMigrations } from "../migrate.js";
import type { StorageSchema } from "../schema.js";
import { postgresStorageDialect } from "./postgres-dialect.js";
import { TaskListChanges } from "./task-list-changes.js";

/** Options of {@link openPostgresDatabase}. */
export interface OpenPostgresDatabaseOptions {
  /** `postgres://user:password@host:port/database` (DATABASE_URL). */
  url: string;
  logger: Logger;
  /** Migrate only up to this migration; for tests that need an older schema. */
  migrateTo?: string;
  /** Connections in the pool (default 10). */
  poolSize?: number;
}

/** A PostgreSQL {@link Database}, which also exposes its pool (the queue and LISTEN use it). */
export interface PostgresDatabase extends Database {
  readonly pool: pg.Pool;
  /** Other processes' task list writes, announced on a channel the LISTEN connection follows. */
  readonly taskListChanges: TaskListChanges;
}

/**
 * The advisory lock every Patchboard process takes while it migrates, so nodes starting
 * together apply each migration once, one after another ("PBMG" in ASCII).
 */
export const MIGRATION_LOCK_KEY = 0x50424d47;

/** OIDs of the types parsed differently from pg's defaults. */
const TIMESTAMPTZ_OID = 1184;
const INT8_OID = 20;
const parseTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ_OID, "text") as (text: string) => Date;

/**
 * Column values as the rest of the adapter expects them on every dialect: times as
 * ISO-8601 UTC strings with milliseconds (timestamptz would otherwise be a Date), and
 * bigint as a number (every bigint here — seq, token counts — stays below 2^53).
 */
const typeParsers = {
  getTypeParser(oid: number, format?: "text" | "binary"): (value: string) => unknown {
    if (oid === TIMESTAMPTZ_OID) return (text) => parseTimestamptz(text).toISOString();
    if (oid === INT8_OID) return (text) => Number(text);
    return pg.types.getTypeParser(oid, format ?? "text") as (value: string) => unknown;
  },
};

/**
 * Opens a pool on DATABASE_URL and migrates the database under a session-level advisory
 * lock: PostgreSQL runs each migration in a transaction (DDL is transactional), so a
 * failed one leaves nothing half-applied, and a second node waits, then finds nothing
 * left to do. Fails with an internal AppError when the database cannot be reached.
 */
export async function openPostgresDatabase(
  options: OpenPostgresDatabaseOptions,
): Promise<PostgresDatabase> {
  const { logger } = options;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: Math.max(2, options.poolSize ?? 10),
    types: typeParsers,
    application_name: "patchboard",
  });
  // An idle connection dropped by the server must not crash the process; the next
  // query gets a fresh one.
  pool.on("error", (error) => logger.warn({ err: error }, "database connection lost"));
  const kysely = new Kysely<StorageSchema>({ dialect: new PostgresDialect({ pool }) });

  try {
    const applied = await migrateUnderLock(pool, kysely, options);
    logger.info({ database: databaseName(options.url), applied }, "storage opened");
  } catch (error) {
    await kysely.destroy();
    if (error instanceof AppError) throw error;
    throw new AppError("internal", "Cannot open the PostgreSQL database (DATABASE_URL)", {
      cause: error,
    });
  }

  let closed: Promise<void> | undefined;
  // No "another connection committed" counter exists on PostgreSQL: writers announce
  // their list writes instead, and the list cache stays off until this process listens.
  const taskListChanges = new TaskListChanges(pool, logger);
  let writes = 0;
  return {
    kysely,
    dialect: postgresStorageDialect,
    pool,
    taskListChanges,
    externalChangeCount: () => taskListChanges.version(),
    taskWriteCount: () => writes,
    taskWritten() {
      writes += 1;
      taskListChanges.announce();
    },
    close(): Promise<void> {
      closed ??= kysely.destroy();
      return closed;
    },
  };
}

async function migrateUnderLock(
  pool: pg.Pool,
  kysely: Kysely<StorageSchema>,
  options: OpenPostgresDatabaseOptions,
): Promise<string[]> {
  const lock = await pool.connect();
  try {
    await lock.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      return await runMigrations({
        kysely,
        dialect: postgresStorageDialect,
        logger: options.logger,
        target: options.migrateTo,
      });
    } finally {
      await lock.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    }
  } finally {
    lock.release();
  }
}

/** The database's name for logs: never the URL, which may hold a password. */
function databaseName(url: string): string {
  try {
    return new URL(url).pathname.replace(/^\//, "");
  } catch {
    return "(unparsable DATABASE_URL)";
  }
}
