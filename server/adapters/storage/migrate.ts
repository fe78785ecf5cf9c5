import { Migrator } from "kysely";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import { AppError } from "../../domain/app-error.js";
import type { StorageDialect } from "./database.js";
import { createMigrationProvider } from "./migrations/index.js";
import type { StorageSchema } from "./schema.js";

/** What {@link runMigrations} needs. */
export interface RunMigrationsOptions {
  kysely: Kysely<StorageSchema>;
  dialect: StorageDialect;
  logger: Logger;
  /** Stop after this migration instead of the latest (tests build older schemas with it). */
  target?: string;
}

/**
 * Brings the schema up to date with kysely's Migrator and the in-code migrations. Throws
 * an internal AppError when one fails; the caller decides how to undo (SQLite wraps the
 * whole run in one transaction).
 */
export async function runMigrations(options: RunMigrationsOptions): Promise<string[]> {
  const { kysely, dialect, logger, target } = options;
  const migrator = new Migrator({ db: kysely, provider: createMigrationProvider(dialect) });
  const { error, results = [] } =
    target === undefined ? await migrator.migrateToLatest() : await migrator.migrateTo(target);
  for (const result of results) {
    logger.info(
      { migration: result.migrationName, direction: result.direction, status: result.status },
      "storage migration",
    );
  }
  if (error !== undefined) {
    throw new AppError("internal", "Database migration failed", { cause: error });
  }
  return results.filter((r) => r.status === "Success").map((r) => r.migrationName);
}
