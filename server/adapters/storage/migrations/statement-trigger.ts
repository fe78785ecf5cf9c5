import { sql } from "kysely";
import type { Kysely } from "kysely";

/** A PostgreSQL statement-level AFTER trigger whose function runs one SQL statement. */
export interface StatementTrigger {
  /** The trigger's name. */
  trigger: string;
  /** Its function's name (created here, taking no arguments). */
  fn: string;
  table: string;
  event: "insert" | "update" | "delete";
  /** The transition tables, e.g. `referencing old table as old_rows`. */
  referencing: string;
  /** The statement, reading the transition tables. */
  body: string;
}

/**
 * Creates a trigger's function and the trigger, fired once per statement with the
 * statement's rows as transition tables: the shape the rollups' triggers share
 * (migrations 0014 and 0016), so a bulk write runs one grouped statement, not one per row.
 */
export async function createStatementTrigger(
  db: Kysely<unknown>,
  { trigger, fn, table, event, referencing, body }: StatementTrigger,
): Promise<void> {
  await sql
    .raw(
      `create function ${fn}() returns trigger language plpgsql as $$
      begin
        ${body};
        return null;
      end $$`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger ${trigger} after ${event} on ${table} ${referencing}
      for each statement execute function ${fn}()`,
    )
    .execute(db);
}

/**
 * The insert, update and delete triggers of a rollup over `table`'s rows: each adds
 * `delta(rows, +1)` for the rows as they are now and `delta(rows, -1)` for the rows as
 * they were, through `apply`. `names(event)` gives each trigger's and function's names.
 */
export async function createRollupTriggers(
  db: Kysely<unknown>,
  table: string,
  names: (event: StatementTrigger["event"]) => { trigger: string; fn: string },
  delta: (rows: string, sign: 1 | -1) => string,
  apply: (source: string) => string,
): Promise<void> {
  const triggers = [
    ["insert", "referencing new table as new_rows", apply(delta("new_rows", 1))],
    [
      "update",
      "referencing old table as old_rows new table as new_rows",
      apply(`${delta("new_rows", 1)} union all ${delta("old_rows", -1)}`),
    ],
    ["delete", "referencing old table as old_rows", apply(delta("old_rows", -1))],
  ] as const;
  for (const [event, referencing, body] of triggers) {
    await createStatementTrigger(db, { ...names(event), table, event, referencing, body });
  }
}
