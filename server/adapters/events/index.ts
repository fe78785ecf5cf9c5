/**
 * Live task events: in memory for one process (SQLite), PostgreSQL LISTEN/NOTIFY for many.
 * Only postgres/ uses LISTEN; the rest of the server sees the TaskEventHub port.
 */
import type { Logger } from "pino";
import type { TaskEventHub } from "../../domain/ports/event-hub.js";
import type { TaskStore } from "../../domain/ports/task-store.js";
import type { Database, PostgresDatabase } from "../storage/index.js";
import { InProcessEventHub } from "./in-process-event-hub.js";
import { createPostgresEventHub, TASK_EVENTS_CHANNEL } from "./postgres/postgres-event-hub.js";
import { PostgresListener } from "./postgres/postgres-listener.js";

export { InProcessEventHub } from "./in-process-event-hub.js";
export { PostgresListener } from "./postgres/postgres-listener.js";
export { TASK_EVENTS_CHANNEL } from "./postgres/postgres-event-hub.js";

/** Options of {@link startEventHub}. */
export interface StartEventHubOptions {
  db: Database;
  /** DATABASE_URL (the LISTEN connection's); null on SQLite. */
  databaseUrl: string | null;
  store: Pick<TaskStore, "listEvents">;
  logger: Logger;
  /** More channels the process's one LISTEN connection serves (PostgreSQL only). */
  channels?: Record<string, (payload: string) => void>;
}

/** The hub, the LISTEN connection behind it (PostgreSQL), and how to stop both. */
export interface StartedEventHub {
  hub: TaskEventHub;
  listener: PostgresListener | null;
  close(): Promise<void>;
}

/** Chooses the hub by database: several processes share a PostgreSQL, never a SQLite file. */
export async function startEventHub(options: StartEventHubOptions): Promise<StartedEventHub> {
  const pool = (options.db as Partial<PostgresDatabase>).pool;
  if (options.databaseUrl === null || pool === undefined) {
    return { hub: new InProcessEventHub(), listener: null, close: () => Promise.resolve() };
  }
  const logger = options.logger.child({ component: "event-hub" });
  const listener = new PostgresListener({
    url: options.databaseUrl,
    logger,
    channels: {
      ...options.channels,
      [TASK_EVENTS_CHANNEL]: (payload) => hub.notified(payload),
    },
  });
  const hub = createPostgresEventHub({ pool, listener, store: options.store, logger });
  await listener.start();
  return {
    hub,
    listener,
    close: async () => {
      hub.close();
      await listener.close();
    },
  };
}
