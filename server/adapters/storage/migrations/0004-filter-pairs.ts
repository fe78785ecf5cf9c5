import type { Kysely, Migration } from "kysely";
import type { StorageDialect } from "../database.js";

/** The filter pairs History uses most: a repository or a person, with a status. */
const PAIRS = [
  ["repo", "status"],
  ["created_by", "status"],
] as const;

/**
 * Indexes for two filters at once. With one column's index, a page of failed tasks of one
 * repository walks every task of that repository until it has 51, and each row it looks
 * at is a table page to read; while tasks are being written (every write empties SQLite's
 * page cache for the other connections) those reads made the filtered page the slowest
 * of the bench's history rows. With both columns in the index, the walk touches the 51.
 */
export function filterPairsMigration(_dialect: StorageDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      for (const [first, second] of PAIRS) {
        await db.schema
          .createIndex(`tasks_${first}_${second}_seq`)
          .on("tasks")
          .columns([first, second, "seq"])
          .execute();
      }
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const [first, second] of PAIRS) {
        await db.schema.dropIndex(`tasks_${first}_${second}_seq`).execute();
      }
    },
  };
}
