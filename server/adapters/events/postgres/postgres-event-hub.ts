import type pg from "pg";
import type { Logger } from "pino";
import type { TaskEvent } from "../../../../shared/task-event.js";
import type { TaskEventHub, TaskEventListener } from "../../../domain/ports/event-hub.js";
import type { TaskStore } from "../../../domain/ports/task-store.js";
import type { PostgresListener } from "./postgres-listener.js";

/** The channel stored events are announced on (one per Patchboard database). */
export const TASK_EVENTS_CHANNEL = "patchboard_task_events";

/** How long to wait before reading a task's log again after a failed read. */
const RETRY_READ_MS = 500;

/**
 * How often a process with listeners compares the followed tasks' log ends with what it
 * delivered. A NOTIFY can be lost without any reconnection (the storing process dies
 * between its commit and its announcement, or the announcement's query fails), and then
 * only this bounds how late a task's last events arrive.
 */
export const DEFAULT_CATCH_UP_MS = 2_000;

/** Options of {@link createPostgresEventHub}. */
export interface PostgresEventHubOptions {
  /** The shared pool: NOTIFY and the log reads go through it. */
  pool: pg.Pool;
  /** The process's LISTEN connection, listening on {@link TASK_EVENTS_CHANNEL}. */
  listener: PostgresListener;
  /** The stored log, read after the last event delivered. */
  store: Pick<TaskStore, "listEvents">;
  logger: Logger;
  /** The catch-up period (default {@link DEFAULT_CATCH_UP_MS}). */
  catchUpMs?: number;
}

/** The hub, and what the listener must call when a notification arrives. */
export interface PostgresEventHub extends TaskEventHub {
  /** Handles a NOTIFY payload (`<taskId> <seq>`) from any process. */
  notified(payload: string): void;
  /**
   * One catch-up: a single query for the log ends of every followed task, then a read of
   * only those behind what was delivered. Runs by itself every `catchUpMs` while anything
   * is followed; queries nothing when nothing is.
   */
  catchUp(): Promise<void>;
  /** Stops following every task. */
  close(): void;
}

/** One task this process has listeners for, and how far they have been served. */
interface Followed {
  listeners: Set<TaskEventListener>;
  /** The last seq delivered; -1 until the log's end was read at the first subscription. */
  cursor: number;
  ready: Promise<void>;
  reading: boolean;
  again: boolean;
  retry: NodeJS.Timeout | undefined;
}

/**
 * The {@link TaskEventHub} of many processes on one PostgreSQL. Each stored event is
 * announced with NOTIFY (task id and seq only, far below NOTIFY's 8000-byte limit); a
 * process with listeners for that task reads its stored log after the last event it
 * delivered and hands them over in seq order. So delivery is in order and gap-free, and
 * an announcement lost with a connection only delays events: every reconnection reads
 * each followed task's log again, and an announcement lost without a reconnection is
 * caught up within `catchUpMs` by a periodic comparison of the log ends (one query for all
 * followed tasks, only while there are any). This process's own events skip the round trip.
 */
export function createPostgresEventHub(options: PostgresEventHubOptions): PostgresEventHub {
  const { pool, store, logger } = options;
  const followed = new Map<string, Followed>();
  const catchUpMs = options.catchUpMs ?? DEFAULT_CATCH_UP_MS;
  let closed = false;
  let catchUpTimer: NodeJS.Timeout | undefined;
  let catchingUp = false;

  const deliver = (task: Followed, event: TaskEvent): void => {
    task.cursor = event.seq;
    for (const listener of [...task.listeners]) listener(event);
  };

  /** Reads the task's log after its cursor until nothing new arrived meanwhile. */
  async function pump(taskId: string, task: Followed): Promise<void> {
    if (task.reading) {
      task.again = true;
      return;
    }
    task.reading = true;
    try {
      await task.ready;
      do {
        task.again = false;
        const events = await store.listEvents(taskId, task.cursor);
        for (const event of events) {
          if (followed.get(taskId) !== task) return;
          if (event.seq > task.cursor) deliver(task, event);
        }
      } while (task.again && followed.get(taskId) === task);
    } catch (error) {
      logger.warn({ err: error, taskId }, "cannot read a task's events; retrying");
      clearTimeout(task.retry);
      task.retry = setTimeout(() => void pump(taskId, task), RETRY_READ_MS);
    } finally {
      task.reading = false;
    }
  }

  async function lastSeq(taskId: string): Promise<number> {
    // The log's end as the append transaction left it (it bumps this with each insert).
    const result = await pool.query<{ last_event_seq: number | string }>(
      "select last_event_seq from tasks where id = $1",
      [taskId],
    );
    return Number(result.rows[0]?.last_event_seq ?? 0);
  }

  async function catchUp(): Promise<void> {
    // Only tasks whose cursor is known: a subscription still reading its log's end has
    // nothing delivered to compare with yet.
    const known = [...followed].filter(([, task]) => task.cursor >= 0);
    if (known.length === 0 || catchingUp) return;
    catchingUp = true;
    try {
      const result = await pool.query<{ id: string; last_event_seq: number | string }>(
        "select id, last_event_seq from tasks where id = any($1::text[])",
        [known.map(([taskId]) => taskId)],
      );
      for (const row of result.rows) {
        const task = followed.get(row.id);
        if (task !== undefined && Number(row.last_event_seq) > task.cursor) void pump(row.id, task);
      }
    } catch (error) {
      // The next tick tries again; a lost database shows up in the health check, not here.
      logger.warn({ err: error }, "cannot compare followed tasks' event logs");
    } finally {
      catchingUp = false;
    }
  }

  /** Ticks only while something is followed, so an idle process sends no query at all. */
  function scheduleCatchUp(): void {
    if (followed.size > 0 && catchUpTimer === undefined && !closed) {
      catchUpTimer = setInterval(() => void catchUp(), catchUpMs);
      // A follower must not keep a stopping process alive.
      catchUpTimer.unref();
    } else if (followed.size === 0 && catchUpTimer !== undefined) {
      clearInterval(catchUpTimer);
      catchUpTimer = undefined;
    }
  }

  options.listener.onListening(() => {
    // Whatever was announced while the connection was down: read every followed log.
    for (const [taskId, task] of followed) void pump(taskId, task);
  });

  return {
    publish(event) {
      pool
        .query("select pg_notify($1, $2)", [TASK_EVENTS_CHANNEL, `${event.taskId} ${event.seq}`])
        .catch((error: unknown) => {
          // Other nodes then see the event with the task's next one or their next reconnection.
          logger.warn({ err: error, taskId: event.taskId }, "cannot announce a task event");
        });
      const task = followed.get(event.taskId);
      if (task === undefined || event.seq <= task.cursor) return;
      if (!task.reading && event.seq === task.cursor + 1) deliver(task, event);
      else void pump(event.taskId, task);
    },

    notified(payload) {
      const [taskId, seqText] = payload.split(" ");
      const task = taskId === undefined ? undefined : followed.get(taskId);
      if (task === undefined || taskId === undefined) return;
      const seq = Number(seqText);
      if (Number.isInteger(seq) && seq <= task.cursor) return;
      void pump(taskId, task);
    },

    async subscribe(taskId, listener) {
      if (closed) throw new Error("The event hub is closed");
      let task = followed.get(taskId);
      if (task === undefined) {
        const created: Followed = {
          listeners: new Set(),
          cursor: -1,
          ready: Promise.resolve(),
          reading: false,
          again: false,
          retry: undefined,
        };
        created.ready = lastSeq(taskId).then(
          (seq) => {
            created.cursor = Math.max(created.cursor, seq);
          },
          (error: unknown) => {
            if (followed.get(taskId) === created) followed.delete(taskId);
            scheduleCatchUp();
            throw error;
          },
        );
        followed.set(taskId, created);
        task = created;
        scheduleCatchUp();
      }
      task.listeners.add(listener);
      const following = task;
      const unsubscribe = (): void => {
        following.listeners.delete(listener);
        if (following.listeners.size === 0 && followed.get(taskId) === following) {
          clearTimeout(following.retry);
          followed.delete(taskId);
          scheduleCatchUp();
        }
      };
      try {
        await following.ready;
      } catch (error) {
        unsubscribe();
        throw error;
      }
      return unsubscribe;
    },

    listenerCount(taskId) {
      return followed.get(taskId)?.listeners.size ?? 0;
    },

    catchUp,

    close() {
      closed = true;
      for (const task of followed.values()) clearTimeout(task.retry);
      followed.clear();
      scheduleCatchUp();
    },
  };
}
