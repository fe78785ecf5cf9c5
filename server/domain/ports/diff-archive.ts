/**
 * Durable storage of the final diff of a task whose worktree was removed, so the task
 * page keeps showing its change after the janitor has cleaned up.
 */
export interface DiffArchive {
  /** Stores (or replaces) a task's final diff; durable once it resolves. */
  save(taskId: string, diff: string): Promise<void>;
  /** The archived diff, or null when the task has none. */
  load(taskId: string): Promise<string | null>;
}
