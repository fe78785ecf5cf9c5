import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import pino from "pino";
import { openPostgresDatabase } from "../../server/adapters/storage/index.js";
import { createMigrationProvider } from "../../server/adapters/storage/migrations/index.js";
import { postgresStorageDialect } from "../../server/adapters/storage/postgres/postgres-dialect.js";
import type {
  OpenPostgresDatabaseOptions,
  PostgresDatabase,
} from "../../server/adapters/storage/index.js";

/**
 * The server every PostgreSQL test creates its databases on: the machine's PostgreSQL
 * (trust auth). CI always runs it, so an unreachable server fails the tests instead of
 * skipping them. `PATCHBOARD_TEST_POSTGRES_URL` points elsewhere.
 */
export const POSTGRES_ADMIN_URL =
  process.env.PATCHBOARD_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A freshly created, empty database, and how to drop it. */
export interface TestDatabaseUrl {
  url: string;
  name: string;
  /** Drops the database, closing whatever connections are still open on it. */
  drop(): Promise<void>;
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates `patchboard_test_<random>` on the test server: empty, or a copy of `template`.
 */
export async function createTestDatabaseUrl(template?: string): Promise<TestDatabaseUrl> {
  const name = `patchboard_test_${randomBytes(6).toString("hex")}`;
  const from = template === undefined ? "" : ` TEMPLATE ${template}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}${from}`));
  return {
    url: urlOf(name),
    name,
    drop: async () => {
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** The URL of a database by name on the test server. */
function urlOf(name: string): string {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

let template: Promise<string> | undefined;

/**
 * A database with every migration applied, kept as a template: copying it is a second
 * faster per test than migrating an empty one. Its name hashes the migrations' code, so
 * a changed or added migration builds a new one; test files racing to build it take
 * turns under an advisory lock.
 */
function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const migrations = await createMigrationProvider(postgresStorageDialect).getMigrations();
    const code = Object.entries(migrations).map(([name, m]) => `${name}:${m.up.toString()}`);
    const hash = createHash("sha256").update(code.join("\n")).digest("hex").slice(0, 12);
    const name = `patchboard_tpl_${hash}`;
    await admin(async (client) => {
      await client.query("SELECT pg_advisory_lock(hashtext($1))", [name]);
      const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      if (found.rowCount === 0) {
        const building = `${name}_building`;
        await client.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
        await client.query(`CREATE DATABASE ${building}`);
        const db = await openPostgresDatabase({
          url: urlOf(building),
          logger: pino({ level: "silent" }),
        });
        await db.close();
        await client.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
      }
      await client.query("SELECT pg_advisory_unlock(hashtext($1))", [name]);
    });
    return name;
  })();
  return template;
}

/**
 * A migrated PostgreSQL {@link PostgresDatabase} on a database of its own; closing it
 * also drops the database, so each test leaves nothing behind.
 */
export async function openTestPostgres(
  options: Partial<Omit<OpenPostgresDatabaseOptions, "url">> = {},
): Promise<PostgresDatabase & { url: string }> {
  // An older schema is migrated for real; the latest is copied from the template.
  const created = await createTestDatabaseUrl(
    options.migrateTo === undefined ? await migratedTemplate() : undefined,
  );
  let db: PostgresDatabase;
  try {
    db = await openPostgresDatabase({
      logger: pino({ level: "silent" }),
      poolSize: 4,
      ...options,
      url: created.url,
    });
  } catch (error) {
    await created.drop();
    throw error;
  }
  let closed: Promise<void> | undefined;
  return Object.assign(Object.create(db) as PostgresDatabase, db, {
    url: created.url,
    close(): Promise<void> {
      closed ??= db.close().then(() => created.drop());
      return closed;
    },
  });
}
