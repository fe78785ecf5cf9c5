import { EventEmitter } from "node:events";
import type { TaskEvent } from "../../../shared/task-event.js";
import type { TaskEventHub, TaskEventListener } from "../../domain/ports/event-hub.js";

/**
 * The {@link TaskEventHub} of a single process (SQLite): every event is stored and
 * published here, so an emitter is the whole truth and delivery is synchronous.
 */
export class InProcessEventHub implements TaskEventHub {
  readonly #emitter = new EventEmitter();

  constructor() {
    // Hundreds of browsers may watch one task; there is no leak in that.
    this.#emitter.setMaxListeners(0);
  }

  /** Delivers a stored event to the task's listeners. */
  publish(event: TaskEvent): void {
    this.#emitter.emit(event.taskId, event);
  }

  /** Listens to one task's events at once; resolves to the function that stops listening. */
  subscribe(taskId: string, listener: TaskEventListener): Promise<() => void> {
    this.#emitter.on(taskId, listener);
    return Promise.resolve(() => {
      this.#emitter.off(taskId, listener);
    });
  }

  /** How many listeners a task has (for tests and metrics). */
  listenerCount(taskId: string): number {
    return this.#emitter.listenerCount(taskId);
  }
}
