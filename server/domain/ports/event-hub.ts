import type { TaskEvent } from "../../../shared/task-event.js";

/** A listener for a task's live events. */
export type TaskEventListener = (event: TaskEvent) => void;

/**
 * Carries a task's stored events to live listeners (SSE connections). Events are always
 * stored first; the hub only announces what was stored, and the stored log stays the
 * source of truth. One process (SQLite) fans out in memory; many processes on one
 * PostgreSQL announce each stored event to every node, which reads it from the log.
 */
export interface TaskEventHub {
  /** Announces an event that has just been stored (by this process). */
  publish(event: TaskEvent): void;
  /**
   * Listens to one task's events, in order and without gaps from the moment the returned
   * promise settles: a replay of the stored log read after that misses nothing, and the
   * listener may see events the replay already had (their `seq` tells). Resolves to the
   * function that stops listening.
   */
  subscribe(taskId: string, listener: TaskEventListener): Promise<() => void>;
  /** How many listeners a task has in this process (for tests and metrics). */
  listenerCount(taskId: string): number;
}
