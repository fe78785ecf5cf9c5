import { EventEmitter } from "node:events";
import type { TaskEvent } from "../../shared/task-event.js";

/** A listener for a task's live events. */
export type TaskEventListener = (event: TaskEvent) => void;

/**
 * Fans stored task events out to live listeners (SSE connections) in this process.
 * Events are always stored first; the hub only carries what was stored.
 */
export class TaskEventHub {
  readonly #emitter = new EventEmitter();

  constructor() {
    // Hundreds of browsers may watch one task; there is no leak in that.
    this.#emitter.setMaxListeners(0);
  }

  /** Delivers a stored event to the task's listeners. */
  publish(event: TaskEvent): void {
    this.#emitter.emit(event.taskId, event);
  }

  /** Listens to one task's events; returns the function that stops listening. */
  subscribe(taskId: string, listener: TaskEventListener): () => void {
    this.#emitter.on(taskId, listener);
    return () => {
      this.#emitter.off(taskId, listener);
    };
  }

  /** How many listeners a task has (for tests and metrics). */
  listenerCount(taskId: string): number {
    return this.#emitter.listenerCount(taskId);
  }
}
