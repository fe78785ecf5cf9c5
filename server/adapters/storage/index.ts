/**
 * The storage adapter: tasks, their event logs and sessions in SQL through kysely.
 * Only this folder imports kysely or better-sqlite3; the rest of the server sees the
 * TaskStore and SessionStore ports.
 */
import type { SessionStore } from "../../domain/ports/session-store.js";
import type { TaskStore } from "../../domain/ports/task-store.js";
import type { Database } from "./database.js";
import { createSessionStore } from "./session-store.js";
import { createTaskStore } from "./task-store.js";

export type { Database, StorageDialect } from "./database.js";
export { openSqliteDatabase } from "./sqlite/open-sqlite-database.js";
export type { OpenSqliteDatabaseOptions, SqliteDatabase } from "./sqlite/open-sqlite-database.js";
export { createStatsQuery } from "./stats-query.js";
export type { StatsQuery } from "./stats-query.js";
export type { TaskFilters } from "./task-filters.js";
export { seedTasks } from "./seed.js";
export type { SeedResult } from "./seed.js";
export { MIGRATION_NAMES } from "./migrations/index.js";
export { createSessionStore, createTaskStore };
export { createReviewStore } from "./review-store.js";

/** The TaskStore on a database from {@link openSqliteDatabase}; closing it closes the database. */
export function createSqliteTaskStore(db: Database): TaskStore {
  return createTaskStore(db);
}

/** The SessionStore on a database from {@link openSqliteDatabase}. */
export function createSqliteSessionStore(db: Database): SessionStore {
  return createSessionStore(db);
}
