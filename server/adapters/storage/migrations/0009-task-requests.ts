import type { Kysely, Migration } from "kysely";
import type { StorageDialect } from "../database.js";

/** Events read per batch while copying the requests out of existing logs. */
const BATCH = 2000;

interface EventRow {
  task_id: string;
  seq: number;
  type: string;
  payload: string;
  at: string;
}

interface RequestRow {
  task_id: string;
  action: string;
  message: string | null;
  by: string;
  at: string;
  previous_phase: string | null;
  previous_error: string | null;
  source: string | null;
}

/**
 * What a run needs, on the task rather than in its event log:
 * - `task_requests`: every request (create, follow-up, retry, resume, cancel), with how
 *   the run before it ended, so run-task, recovery and the audit trail read a few rows
 *   instead of scanning the log. Existing logs are copied over (portable: parsed in code).
 * - `tasks.owner` and `tasks.lease_expires_at`: which worker runs the task and until when
 *   its lease holds, so every transition can be conditional on the owner and a worker
 *   that dies is told apart from one that is alive.
 */
export function taskRequestsMigration(dialect: StorageDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await dialect
        .addSerialPrimaryKey(db.schema.createTable("task_requests"), "seq")
        .addColumn("task_id", "text", (c) => c.notNull().references("tasks.id").onDelete("cascade"))
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("message", "text")
        .addColumn("by", "text", (c) => c.notNull())
        .addColumn("at", dialect.timestamp, (c) => c.notNull())
        .addColumn("previous_phase", "text")
        .addColumn("previous_error", "text")
        .addColumn("source", "text")
        .execute();
      await db.schema
        .createIndex("task_requests_task_seq")
        .on("task_requests")
        .columns(["task_id", "seq"])
        .execute();
      await db.schema.alterTable("tasks").addColumn("owner", "text").execute();
      await db.schema
        .alterTable("tasks")
        .addColumn("lease_expires_at", dialect.timestamp)
        .execute();
      await copyRequestsFromLogs(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("tasks").dropColumn("lease_expires_at").execute();
      await db.schema.alterTable("tasks").dropColumn("owner").execute();
      await db.schema.dropTable("task_requests").execute();
    },
  };
}

/**
 * One pass over the request and status events in (task, seq) order: each request is
 * copied with the last failure or cancellation before it, as run-task used to find it.
 */
async function copyRequestsFromLogs(db: Kysely<unknown>): Promise<void> {
  // Untyped on purpose (see 0001): the rows are read as they were stored then.
  const typed = db as unknown as Kysely<{ task_events: EventRow; task_requests: RequestRow }>;
  let after: { taskId: string; seq: number } | null = null;
  let task: string | null = null;
  let previous: { phase: string | null; error: string | null } | null = null;
  for (;;) {
    let query = typed
      .selectFrom("task_events")
      .select(["task_id", "seq", "type", "payload", "at"])
      .where("type", "in", ["task.request", "task.status"]);
    if (after !== null) {
      const { taskId, seq } = after;
      query = query.where((eb) =>
        eb.or([
          eb("task_id", ">", taskId),
          eb.and([eb("task_id", "=", taskId), eb("seq", ">", seq)]),
        ]),
      );
    }
    const rows = await query.orderBy("task_id").orderBy("seq").limit(BATCH).execute();
    const requests: RequestRow[] = [];
    for (const row of rows) {
      if (row.task_id !== task) {
        task = row.task_id;
        previous = null;
      }
      const payload = JSON.parse(row.payload) as Record<string, unknown>;
      if (row.type === "task.status") {
        if (payload.status === "failed" || payload.status === "cancelled") {
          const error = payload.error ?? null;
          previous = {
            phase: typeof payload.phase === "string" ? payload.phase : null,
            error: error === null ? null : JSON.stringify(error),
          };
        }
        continue;
      }
      requests.push({
        task_id: row.task_id,
        action: String(payload.action),
        message: typeof payload.message === "string" ? payload.message : null,
        by: String(payload.by),
        at: row.at,
        previous_phase: payload.action === "cancel" ? null : (previous?.phase ?? null),
        previous_error: payload.action === "cancel" ? null : (previous?.error ?? null),
        source: typeof payload.source === "string" ? payload.source : null,
      });
    }
    if (requests.length > 0) await typed.insertInto("task_requests").values(requests).execute();
    const last = rows.at(-1);
    if (last === undefined || rows.length < BATCH) return;
    after = { taskId: last.task_id, seq: Number(last.seq) };
  }
}
