import type { Kysely, Migration } from "kysely";
import type { StorageDialect } from "../database.js";

/** Rows per UPDATE batch while filling in the titles of existing tasks. */
const BATCH = 1000;

interface TitleSourceRow {
  seq: number;
  ticket_snapshot: string | null;
  prompt: string | null;
}

/**
 * A `title` column on tasks, so lists read one short column instead of the ticket
 * snapshot. Existing rows are filled in batches from the same function new tasks use
 * (portable: no dialect's JSON functions).
 */
export function taskTitlesMigration(_dialect: StorageDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable("tasks")
        .addColumn("title", "text", (c) => c.notNull().defaultTo(""))
        .execute();
      // Untyped on purpose (see 0001): the rows are read as they were stored then.
      const tasks = db as unknown as Kysely<{ tasks: TitleSourceRow & { title: string } }>;
      for (let after = 0; ;) {
        const rows = await tasks
          .selectFrom("tasks")
          .select(["seq", "ticket_snapshot", "prompt"])
          .where("seq", ">", after)
          .orderBy("seq")
          .limit(BATCH)
          .execute();
        for (const row of rows) {
          const snapshot = parseSnapshot(row.ticket_snapshot);
          const title = taskTitle({ ticketSnapshot: snapshot, prompt: row.prompt });
          if (title !== "") {
            await tasks.updateTable("tasks").set({ title }).where("seq", "=", row.seq).execute();
          }
        }
        const last = rows.at(-1);
        if (last === undefined) break;
        after = Number(last.seq);
      }
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("tasks").dropColumn("title").execute();
    },
  };
}

/**
 * The title rule as it was when this migration was written. A frozen copy on purpose: a
 * migration must do the same thing forever, whatever later code makes of titles.
 */
function taskTitle(task: { ticketSnapshot: { summary: string } | null; prompt: string | null }) {
  const maxLength = 200;
  const source =
    task.ticketSnapshot?.summary ??
    (task.prompt ?? "").split("\n").find((line) => line.trim() !== "") ??
    "";
  const line = source.replace(/\s+/g, " ").trim();
  return line.length <= maxLength ? line : `${line.slice(0, maxLength - 1)}…`;
}

/** Only the summary is read; a snapshot that is not the expected JSON gives no title. */
function parseSnapshot(text: string | null): { summary: string } | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as { summary?: unknown } | null;
    return typeof value?.summary === "string" ? { summary: value.summary } : null;
  } catch {
    return null;
  }
}
