import { TaskEventSchema } from "../../../shared/task-event.js";
import type { TaskEvent, TaskEventInput } from "../../../shared/task-event.js";
import { AppError } from "../../domain/app-error.js";
import type { Database } from "./database.js";
import type { TaskEventsTable } from "./schema.js";
import { nowIso } from "./timestamps.js";

/** The event-log half of the TaskStore. */
export interface TaskEventLog {
  appendEvent(taskId: string, event: TaskEventInput): Promise<TaskEvent>;
  listEvents(taskId: string, afterSeq?: number, limit?: number): Promise<TaskEvent[]>;
}

function parseEvent(candidate: unknown, taskId: string): TaskEvent {
  const result = TaskEventSchema.safeParse(candidate);
  if (!result.success) {
    throw new AppError("internal", "A task event does not match the contract", {
      details: { taskId, issues: result.error.issues },
      cause: result.error,
    });
  }
  return result.data;
}

function rowToEvent(row: TaskEventsTable): TaskEvent {
  // A PostgreSQL json column would hand the payload back already parsed.
  const payload: unknown = typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload;
  return parseEvent(
    { type: row.type, payload, seq: Number(row.seq), taskId: row.task_id, at: row.at },
    row.task_id,
  );
}

/** Creates the event log over a database. */
export function createTaskEventLog(db: Database): TaskEventLog {
  const { kysely } = db;
  return {
    async appendEvent(taskId, input) {
      return kysely.transaction().execute(async (trx) => {
        // Bumping a counter on the task row serializes appends per task on every
        // dialect (row lock on PostgreSQL, write lock on SQLite), so seqs never collide.
        const counter = await trx
          .updateTable("tasks")
          .set((eb) => ({ last_event_seq: eb("last_event_seq", "+", 1) }))
          .where("id", "=", taskId)
          .returning("last_event_seq")
          .executeTakeFirst();
        if (counter === undefined) {
          throw new AppError("not_found", "Task not found", { details: { taskId } });
        }
        // Validate before inserting so an invalid event is never stored.
        const event = parseEvent(
          { ...input, seq: Number(counter.last_event_seq), taskId, at: nowIso() },
          taskId,
        );
        await trx
          .insertInto("task_events")
          .values({
            task_id: taskId,
            seq: event.seq,
            type: event.type,
            payload: JSON.stringify(event.payload),
            at: event.at,
          })
          .execute();
        return event;
      });
    },

    async listEvents(taskId, afterSeq = 0, limit) {
      let query = kysely
        .selectFrom("task_events")
        .selectAll()
        .where("task_id", "=", taskId)
        .where("seq", ">", afterSeq)
        .orderBy("seq", "asc");
      if (limit !== undefined) query = query.limit(limit);
      const rows = await query.execute();
      return rows.map(rowToEvent);
    },
  };
}
