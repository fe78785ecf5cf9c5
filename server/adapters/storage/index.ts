/**
 * The storage adapter: tasks, their event logs and sessions in SQL through kysely.
 * Only this folder imports kysely; only sqlite/ imports better-sqlite3 and only
 * postgres/ imports pg; the rest of the server sees the
 * TaskStore and SessionStore ports.
 */
import { createSessionStore } from "./session-store.js";
import { createTaskStore } from "./task-store.js";
import type { Database } from "./database.js";
import type { PostgresDatabase } from "./postgres/open-postgres-database.js";
import type { TaskListChanges } from "./postgres/task-list-changes.js";
import type { Logger } from "pino";
import type { ReviewLocks } from "../../domain/ports/review-ports.js";
import { createAdvisoryReviewLocks } from "./postgres/advisory-review-locks.js";

export type { Database, StorageDialect } from "./database.js";
export { openSqliteDatabase } from "./sqlite/open-sqlite-database.js";
export type { OpenSqliteDatabaseOptions, SqliteDatabase } from "./sqlite/open-sqlite-database.js";
export { openDatabase } from "./open-database.js";
export type { OpenDatabaseOptions } from "./open-database.js";
export { openPostgresDatabase } from "./postgres/open-postgres-database.js";
export type {
  OpenPostgresDatabaseOptions,
  PostgresDatabase,
} from "./postgres/open-postgres-database.js";
export { TASK_LIST_CHANNEL, type TaskListChanges } from "./postgres/task-list-changes.js";
export { createStatsQuery } from "./stats-query.js";
export type { TaskFilters } from "./task-filters.js";
export { seedTasks } from "./seed.js";
export type { SeedResult } from "./seed.js";
export { MIGRATION_NAMES } from "./migrations/index.js";
export { createSessionStore, createTaskStore };
export { createReviewStore } from "./review-store.js";
export { createUsageLedger } from "./usage-ledger-store.js";
export { createDatabaseRunGate } from "./run-gate-store.js";
export { createSlotLeaseStore } from "./slot-lease-store.js";

export { createPullRequestStore, createWebhookDeliveryStore } from "./pull-request-store.js";

/**
 * Other processes' task list writes, for the process's LISTEN connection to follow; null
 * on SQLite, where the file's data_version tells the list cache the same.
 */
export function taskListChanges(db: Database): TaskListChanges | null {
  return (db as Partial<PostgresDatabase>).taskListChanges ?? null;
}

/**
 * The nightly review's per pull request locks in the database, for every process on it:
 * advisory locks on PostgreSQL; null on SQLite, whose one server keeps them in memory.
 */
export function databaseReviewLocks(db: Database, logger: Logger): ReviewLocks | null {
  const pool = (db as Partial<PostgresDatabase>).pool;
  return pool === undefined ? null : createAdvisoryReviewLocks(pool, logger);
}
export { createTurnCheckpointStore } from "./turn-checkpoint-store.js";
