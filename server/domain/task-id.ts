/**
 * What a task id (or a review checkout's id) may look like wherever it becomes a file or
 * directory name: letters, digits, `_` and `-`, so no id can climb out of its folder.
 */
const TASK_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** Whether an id is safe to use as a file or directory name. */
export function isSafeTaskId(id: string): boolean {
  return TASK_ID.test(id);
}
