import type pg from "pg";
import type { Logger } from "pino";

/** The channel every write to what task lists show is announced on (one per database). */
export const TASK_LIST_CHANNEL = "patchboard_task_list";

/** The process's LISTEN connection, as far as the list cache needs it. */
export interface ChangeFeed {
  /** Whether notifications arrive now. */
  readonly listening: boolean;
  /** Changes whenever the connection was lost or re-established. */
  readonly epoch: number;
}

/**
 * What other processes changed in the task lists, as a version number for the list cache
 * (Database.externalChangeCount). Every process announces its list writes on
 * {@link TASK_LIST_CHANNEL}; each announcement moves the version, so the cache drops what
 * it holds. While no LISTEN connection delivers them (before it starts, while it
 * reconnects) an announcement may be lost, so the version then moves on every read: the
 * cache is off. A new connection moves it once more, for what was missed meanwhile.
 */
export class TaskListChanges {
  readonly #pool: pg.Pool;
  readonly #logger: Logger;
  #version = 0;
  #feed: ChangeFeed | null = null;
  #seenEpoch: number | null = null;
  #received = 0;
  #announcing = false;
  #announceAgain = false;

  constructor(pool: pg.Pool, logger: Logger) {
    this.#pool = pool;
    this.#logger = logger;
  }

  /** The LISTEN connection on {@link TASK_LIST_CHANNEL} (null: none, the cache stays off). */
  follow(feed: ChangeFeed | null): void {
    this.#feed = feed;
    this.#seenEpoch = null;
  }

  /** The channel to LISTEN on, and what handles it. */
  get channels(): Record<string, (payload: string) => void> {
    return { [TASK_LIST_CHANNEL]: () => this.notified() };
  }

  /** An announcement arrived (from any process, this one included). */
  notified(): void {
    this.#version += 1;
    this.#received += 1;
  }

  /** How many announcements arrived (for tests, which wait on one instead of sleeping). */
  get received(): number {
    return this.#received;
  }

  /** The version of what other processes wrote; never repeats while nothing is followed. */
  version(): number {
    const feed = this.#feed;
    if (feed === null || !feed.listening) return ++this.#version;
    if (feed.epoch !== this.#seenEpoch) {
      this.#seenEpoch = feed.epoch;
      this.#version += 1;
    }
    return this.#version;
  }

  /**
   * Announces a write that has committed. Writes come in bursts (a run's usage, claims):
   * at most one NOTIFY is in flight and one more waits, sent once it is done, so every
   * write is covered by an announcement sent after it committed.
   */
  announce(): void {
    if (this.#announcing) {
      this.#announceAgain = true;
      return;
    }
    this.#announcing = true;
    this.#announceAgain = false;
    this.#pool
      .query("select pg_notify($1, '')", [TASK_LIST_CHANNEL])
      .catch((error: unknown) => {
        // Other nodes then serve their cached lists until the next announced write.
        this.#logger.warn({ err: error }, "cannot announce a task list change");
      })
      .finally(() => {
        this.#announcing = false;
        if (this.#announceAgain) this.announce();
      });
  }
}
