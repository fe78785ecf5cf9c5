import type { TaskListQuery } from "../../../shared/task.js";
import type { TaskPage } from "../../domain/ports/task-store.js";

/** Distinct list queries kept (a page is at most 200 summaries, a few tens of KB). */
const DEFAULT_MAX_ENTRIES = 100;

interface Entry {
  version: string;
  page: TaskPage;
}

/**
 * Recently listed pages of tasks, each kept with the version of the data it was read at
 * and served only while that version is current. A page costs about a millisecond of
 * row materialization on every request, while the History page's readers ask the same
 * few queries far more often than tasks change; the version changes with every write,
 * so a hit is never stale. Least recently used entries go first.
 */
export class TaskListCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;

  constructor(maxEntries = DEFAULT_MAX_ENTRIES) {
    this.#maxEntries = maxEntries;
  }

  /** The page cached for the query at exactly this version, if any. */
  get(query: TaskListQuery, version: string): TaskPage | undefined {
    const key = cacheKey(query);
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (entry.version !== version) return undefined;
    this.#entries.set(key, entry); // most recently used last
    return entry.page;
  }

  /**
   * Keeps a page read at `version`, which must have been taken before the read started:
   * a write that lands during the read then makes the entry unreachable, never stale.
   * The page is frozen: it is shared by every later caller.
   */
  set(query: TaskListQuery, version: string, page: TaskPage): TaskPage {
    const key = cacheKey(query);
    this.#entries.delete(key);
    this.#entries.set(key, { version, page: deepFreeze(page) });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
    return page;
  }

  /** How many pages are kept (for tests). */
  get size(): number {
    return this.#entries.size;
  }
}

/** The same filters give the same key whatever order the caller wrote them in. */
function cacheKey(query: TaskListQuery): string {
  const defined = Object.entries(query).filter(([, value]) => value !== undefined);
  defined.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(defined);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}
