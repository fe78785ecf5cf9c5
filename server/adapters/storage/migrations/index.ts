import type { Migration, MigrationProvider } from "kysely";
import type { StorageDialect } from "../database.js";
import { initialMigration } from "./0001-initial.js";
import { reviewsMigration } from "./0002-reviews.js";
import { taskTitlesMigration } from "./0003-task-titles.js";
import { filterPairsMigration } from "./0004-filter-pairs.js";
import { pullRequestOutcomesMigration } from "./0006-pull-request-outcomes.js";
import { modelUsageMigration } from "./0007-model-usage.js";
import { taskRequestsMigration } from "./0009-task-requests.js";
import { runGateWindowsMigration } from "./0010-run-gate-windows.js";
import { taskLeasesMigration } from "./0011-task-leases.js";
import { sessionLastSeenMigration } from "./0012-session-last-seen.js";
import { turnCheckpointsMigration } from "./0013-turn-checkpoints.js";
import { taskRollupsMigration } from "./0014-task-rollups.js";
import { agentSlotLeasesMigration } from "./0015-agent-slot-leases.js";
import { pullRequestRollupsMigration } from "./0016-pull-request-rollups.js";
import { taskDayRollupsMigration } from "./0017-task-day-rollups.js";

/**
 * Every migration, in order. Names sort in the order they run (kysely sorts by name), and
 * a released migration is never edited: add the next file instead.
 */
const MIGRATIONS: ReadonlyArray<{ name: string; create(dialect: StorageDialect): Migration }> = [
  { name: "0001-initial", create: initialMigration },
  { name: "0002-reviews", create: reviewsMigration },
  { name: "0003-task-titles", create: taskTitlesMigration },
  { name: "0004-filter-pairs", create: filterPairsMigration },
  { name: "0006-pull-request-outcomes", create: pullRequestOutcomesMigration },
  { name: "0007-model-usage", create: modelUsageMigration },
  { name: "0009-task-requests", create: taskRequestsMigration },
  { name: "0010-run-gate-windows", create: runGateWindowsMigration },
  { name: "0011-task-leases", create: taskLeasesMigration },
  { name: "0012-session-last-seen", create: sessionLastSeenMigration },
  { name: "0013-turn-checkpoints", create: turnCheckpointsMigration },
  { name: "0014-task-rollups", create: taskRollupsMigration },
  { name: "0015-agent-slot-leases", create: agentSlotLeasesMigration },
  { name: "0016-pull-request-rollups", create: pullRequestRollupsMigration },
  { name: "0017-task-day-rollups", create: taskDayRollupsMigration },
];

/** Names of all migrations, oldest first (tests build databases at each of them). */
export const MIGRATION_NAMES: readonly string[] = MIGRATIONS.map((m) => m.name);

/**
 * Migrations compiled into the code rather than read from a folder at run time, so a
 * bundled or `tsx` server finds them without caring where its files ended up.
 */
export function createMigrationProvider(dialect: StorageDialect): MigrationProvider {
  return {
    getMigrations(): Promise<Record<string, Migration>> {
      return Promise.resolve(
        Object.fromEntries(MIGRATIONS.map((m) => [m.name, m.create(dialect)] as const)),
      );
    },
  };
}
