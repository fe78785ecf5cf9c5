import { randomUUID } from "node:crypto";
import type { Task, TaskListQuery } from "../../../shared/task.js";
import { AppError } from "../../domain/app-error.js";
import type {
  NewTask,
  OwnerGuard,
  TaskPage,
  TaskPatch,
  TaskStore,
} from "../../domain/ports/task-store.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import type { Database } from "./database.js";
import { createTaskEventLog } from "./task-event-log.js";
import { createTaskRequestLog } from "./task-request-log.js";
import { createTaskLeaseStore, withLeaseCleared } from "./task-lease-store.js";
import { TaskListCache } from "./task-list-cache.js";
import {
  newTaskToRow,
  parseTaskPatch,
  patchToColumns,
  rowToTask,
  rowToTaskSummary,
} from "./task-rows.js";
import { selectSummaryRows } from "./summary-rows.js";
import { nowIso } from "./timestamps.js";
import { inChunks } from "./in-chunks.js";

/** The statuses the one-active-task-per-ticket index covers. */
const ACTIVE_STATUSES: Task["status"][] = ["queued", "running"];

/**
 * How often create retries when the insert hit the unique index but the active task
 * it collided with finished before it could be read back.
 */
const CREATE_ATTEMPTS = 5;

/**
 * A TaskStore over a {@link Database}. Portable kysely throughout; the one active task per
 * ticket is a partial unique index, so concurrent creates (even from other processes)
 * cannot both succeed.
 */
export function createTaskStore(db: Database): TaskStore {
  const { kysely, dialect } = db;
  const events = createTaskEventLog(db);
  const requests = createTaskRequestLog(db);
  const leases = createTaskLeaseStore(db);
  const listCache = new TaskListCache();
  const listVersion = () => `${db.taskWriteCount()}:${db.externalChangeCount()}`;
  /**
   * Counts a write to what lists show once it has run. Events only move
   * `last_event_seq`, which no list reads, so they leave cached pages valid.
   */
  async function countedWrite<T>(write: Promise<T>): Promise<T> {
    try {
      return await write;
    } finally {
      db.taskWritten();
    }
  }

  async function readPage(query: TaskListQuery): Promise<TaskPage> {
    const limit = query.limit;
    const before = query.cursor === undefined ? null : decodeCursor(query.cursor);
    const rows = await selectSummaryRows(kysely, query, before, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      tasks: page.map(rowToTaskSummary),
      nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last.seq) : null,
    };
  }

  async function findActiveOne(ticketKey: string): Promise<Task | null> {
    const row = await kysely
      .selectFrom("tasks")
      .selectAll()
      .where("ticket_key", "=", ticketKey)
      .where("status", "in", ACTIVE_STATUSES)
      .executeTakeFirst();
    return row === undefined ? null : rowToTask(row);
  }

  function conflictOnUniqueViolation(error: unknown): never {
    if (dialect.isUniqueViolation(error)) {
      throw new AppError("conflict", "The ticket already has a queued or running task", {
        cause: error,
      });
    }
    throw error;
  }

  async function updateWhere(
    id: string,
    from: Task["status"][] | null,
    patch: TaskPatch,
    guard?: OwnerGuard,
  ): Promise<Task | null> {
    const columns = withLeaseCleared(patchToColumns(parseTaskPatch(patch), nowIso()));
    let query = kysely.updateTable("tasks").set(columns).where("id", "=", id);
    if (from !== null) query = query.where("status", "in", from);
    if (guard !== undefined) query = query.where("owner", "=", guard.owner);
    const row = await countedWrite(
      query.returningAll().executeTakeFirst().catch(conflictOnUniqueViolation),
    );
    return row === undefined ? null : rowToTask(row);
  }

  return {
    async create(task: NewTask) {
      for (let attempt = 1; ; attempt++) {
        try {
          const row = await countedWrite(
            kysely
              .insertInto("tasks")
              .values(newTaskToRow(task, randomUUID(), nowIso()))
              .returningAll()
              .executeTakeFirstOrThrow(),
          );
          return { task: rowToTask(row), created: true };
        } catch (error) {
          if (!dialect.isUniqueViolation(error) || task.ticketKey === null) throw error;
          const active = await findActiveOne(task.ticketKey);
          if (active !== null) return { task: active, created: false };
          if (attempt >= CREATE_ATTEMPTS) throw error;
        }
      }
    },

    async get(id) {
      const row = await kysely
        .selectFrom("tasks")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirst();
      return row === undefined ? null : rowToTask(row);
    },

    async update(id, patch) {
      const task = await updateWhere(id, null, patch);
      if (task === null) throw new AppError("not_found", "Task not found", { details: { id } });
      return task;
    },

    async transition(id, from, patch, guard) {
      if (from.length === 0) return null;
      // One conditional UPDATE: whoever changes the status first wins, the other gets null.
      return updateWhere(id, from, patch, guard);
    },

    async addUsage(id, usage) {
      const result = await countedWrite(
        kysely
          .updateTable("tasks")
          .set((eb) => ({
            input_tokens: eb("input_tokens", "+", usage.inputTokens),
            cached_input_tokens: eb("cached_input_tokens", "+", usage.cachedInputTokens),
            output_tokens: eb("output_tokens", "+", usage.outputTokens),
            updated_at: nowIso(),
          }))
          .where("id", "=", id)
          .executeTakeFirst(),
      );
      if (result.numUpdatedRows === 0n) {
        throw new AppError("not_found", "Task not found", { details: { id } });
      }
    },

    async list(query): Promise<TaskPage> {
      const version = listVersion(); // taken before reading: see TaskListCache.set
      return listCache.get(query, version) ?? listCache.set(query, version, await readPage(query));
    },

    async findActive(ticketKeys) {
      const active = new Map<string, Task>();
      const rows = await inChunks([...new Set(ticketKeys)], (slice) =>
        kysely
          .selectFrom("tasks")
          .selectAll()
          .where("ticket_key", "in", slice)
          .where("status", "in", ACTIVE_STATUSES)
          .execute(),
      );
      for (const row of rows) {
        const task = rowToTask(row);
        if (task.ticketKey !== null) active.set(task.ticketKey, task);
      }
      return active;
    },

    async listByStatus(statuses) {
      if (statuses.length === 0) return [];
      const rows = await kysely
        .selectFrom("tasks")
        .selectAll()
        .where("status", "in", statuses)
        .orderBy("seq", "asc")
        .execute();
      return rows.map(rowToTask);
    },

    appendEvent: (taskId, event) => events.appendEvent(taskId, event),
    listEvents: (taskId, afterSeq, limit) => events.listEvents(taskId, afterSeq, limit),
    addRequest: (taskId, request) => requests.addRequest(taskId, request),
    listRequests: (taskId) => requests.listRequests(taskId),
    ...leases,

    close() {
      return db.close();
    },
  };
}
