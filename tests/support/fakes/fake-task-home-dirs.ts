import type { TaskHomeDirs } from "../../../server/domain/ports/task-home-dirs.js";

/** Per-task directories in memory: which ids have them, and how each removal was asked for. */
export class FakeTaskHomeDirs implements TaskHomeDirs {
  readonly ids = new Set<string>();
  /** Each removal in order, with whether the thread was kept. */
  readonly removals: Array<{ id: string; keepThread: boolean }> = [];
  /** Ids whose removal fails (a directory the server cannot delete). */
  readonly failing = new Set<string>();

  constructor(ids: readonly string[] = []) {
    for (const id of ids) this.ids.add(id);
  }

  listIds(): Promise<string[]> {
    return Promise.resolve([...this.ids]);
  }

  remove(id: string, options: { keepThread: boolean }): Promise<void> {
    if (this.failing.has(id)) return Promise.reject(new Error(`cannot remove ${id}`));
    this.removals.push({ id, keepThread: options.keepThread });
    this.ids.delete(id);
    return Promise.resolve();
  }
}
