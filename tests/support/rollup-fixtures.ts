import { sql } from "kysely";
import type { Kysely } from "kysely";
import pino from "pino";
import { openPostgresDatabase } from "../../server/adapters/storage/index.js";
import type { Database } from "../../server/adapters/storage/index.js";

/** A small seeded generator (mulberry32), so every run draws the same rows. */
export function generator(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Every row of each table with its `xmin`, which changes with every write to a row, even
 * one that stores the same values: equal snapshots mean nothing was written.
 */
export async function rowVersions<Schema>(
  kysely: Kysely<Schema>,
  tables: readonly string[],
): Promise<Array<string | null>> {
  const versions: Array<string | null> = [];
  for (const table of tables) {
    const { rows } = await sql<{ versions: string | null }>`
      select string_agg(xmin::text || r::text, ',' order by r::text) as versions
      from ${sql.table(table)} r`.execute(kysely);
    versions.push(rows[0]?.versions ?? null);
  }
  return versions;
}

/**
 * Opens a test database made at an older schema again with every migration, runs `check`
 * on it (the migrations' backfills done) and closes it.
 */
export async function afterMigrating(
  old: Database & { url: string },
  check: (upgraded: Database) => Promise<void>,
): Promise<void> {
  const upgraded = await openPostgresDatabase({ url: old.url, logger: pino({ level: "silent" }) });
  try {
    await check(upgraded);
  } finally {
    await upgraded.close();
  }
}
