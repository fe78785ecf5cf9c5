import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Logger } from "pino";
import type { Database } from "./database.js";
import { openPostgresDatabase } from "./postgres/open-postgres-database.js";
import { openSqliteDatabase } from "./sqlite/open-sqlite-database.js";

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** DATABASE_URL: PostgreSQL when set. */
  url: string | null;
  /** DATA_DIR: holds `patchboard.db` when no URL is set. */
  dataDir: string;
  logger: Logger;
}

/**
 * The one place that chooses the database: PostgreSQL when DATABASE_URL is set (shared by
 * every node), otherwise SQLite in DATA_DIR (one machine). Everything above sees Database.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.url !== null) {
    return openPostgresDatabase({ url: options.url, logger: options.logger });
  }
  mkdirSync(options.dataDir, { recursive: true });
  return openSqliteDatabase({
    file: path.join(options.dataDir, "patchboard.db"),
    logger: options.logger,
  });
}
