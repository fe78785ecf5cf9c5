import type { Selectable } from "kysely";
import { z } from "zod";
import { TaskErrorSchema, TaskSchema } from "../../../shared/task.js";
import { RequestSourceSchema } from "../../../shared/task-event.js";
import { AppError } from "../../domain/app-error.js";
import type { NewTaskRequest, TaskRequest } from "../../domain/ports/task-store.js";
import type { Database } from "./database.js";
import type { TaskRequestsTable } from "./schema.js";
import { nowIso } from "./timestamps.js";

const RequestSchema = z.object({
  action: z.enum(["create", "follow_up", "retry", "cancel"]),
  message: z.string().nullable(),
  by: z.string().min(1),
  at: z.string(),
  previous: z
    .object({ phase: TaskSchema.shape.phase, error: TaskErrorSchema.nullable() })
    .nullable(),
  source: RequestSourceSchema.optional(),
});

/** Validates a request so that a bad one fails the write instead of every later run. */
function parseRequest(candidate: unknown, taskId: string): TaskRequest {
  const result = RequestSchema.safeParse(candidate);
  if (!result.success) {
    throw new AppError("internal", "A task request does not match the contract", {
      details: { taskId, issues: result.error.issues },
      cause: result.error,
    });
  }
  return result.data;
}

function rowToRequest(row: Selectable<TaskRequestsTable>): TaskRequest {
  const error: unknown = row.previous_error === null ? null : JSON.parse(row.previous_error);
  return parseRequest(
    {
      action: row.action,
      message: row.message,
      by: row.by,
      at: row.at,
      previous: row.previous_phase === null ? null : { phase: row.previous_phase, error },
      ...(row.source === null ? {} : { source: row.source }),
    },
    row.task_id,
  );
}

/** The request half of the TaskStore: `task_requests`, oldest first. */
export function createTaskRequestLog(db: Database) {
  const { kysely, dialect } = db;
  return {
    async addRequest(taskId: string, input: NewTaskRequest): Promise<TaskRequest> {
      const request = parseRequest({ ...input, at: nowIso() }, taskId);
      try {
        await kysely
          .insertInto("task_requests")
          .values({
            task_id: taskId,
            action: request.action,
            message: request.message,
            by: request.by,
            at: request.at,
            previous_phase: request.previous?.phase ?? null,
            previous_error:
              request.previous?.error == null ? null : JSON.stringify(request.previous.error),
            source: request.source ?? null,
          })
          .execute();
      } catch (error) {
        if (dialect.isForeignKeyViolation(error)) {
          throw new AppError("not_found", "Task not found", { details: { taskId }, cause: error });
        }
        throw error;
      }
      return request;
    },

    async listRequests(taskId: string): Promise<TaskRequest[]> {
      const rows = await kysely
        .selectFrom("task_requests")
        .selectAll()
        .where("task_id", "=", taskId)
        .orderBy("seq", "asc")
        .execute();
      return rows.map(rowToRequest);
    },
  };
}
