/** The worker's queue, as the use cases see it. */
export interface TaskQueue {
  /**
   * Schedules a queued task to run; a no-op when it is already scheduled. In process it
   * returns at once; a shared job queue (pg-boss) resolves once the job is stored.
   */
  enqueue(taskId: string): void | Promise<void>;
  /**
   * Aborts a task that is waiting or running in this process with the given reason:
   * "pending" when it was only waiting (and is dropped), "running" when its run was
   * signalled to stop, false when this process is not working on it.
   */
  abort(taskId: string, reason: Error): "pending" | "running" | false;
}
