import type { JobQueueStats } from "../../../shared/service-status.js";

/** What a worker tells the job queue when it works task runs. */
export interface TaskRunWorker {
  /** How many more runs this worker can take now; the queue never hands out more. */
  freeSlots(): number;
  /**
   * Runs the task's job to its end. Resolving completes the job; rejecting fails it, and a
   * failed job is retried with backoff and, after its retries, dead-lettered.
   */
  handle(taskId: string): Promise<void>;
  /** A task run that failed every retry; resolving removes it from the dead letters. */
  handleDead(taskId: string, attempts: number): Promise<void>;
}

/**
 * A job queue shared by every process on one database (pg-boss on PostgreSQL): task runs
 * handed out to workers with retries and dead letters, and the review schedule.
 */
export interface JobQueue {
  /** Sends a run of the task; a no-op while one for the same task already waits. */
  sendTaskRun(taskId: string): Promise<void>;
  /** Starts working task runs and their dead letters in this process, until {@link stopWork}. */
  workTaskRuns(worker: TaskRunWorker): Promise<void>;
  /** Looks for task runs now instead of at the next poll (a slot freed, a run sent here). */
  wake(): void;
  /**
   * Runs `run` on one worker of the cluster at each tick of `cron` in `timeZone` (not one
   * run per process); `run` must not throw for a run that was merely skipped.
   */
  workReviewSchedule(cron: string, timeZone: string, run: () => Promise<void>): Promise<void>;
  /** How many jobs wait, run, are retried and are dead; for the admins' service page. */
  stats(): Promise<JobQueueStats>;
  /** Stops fetching; resolves when the jobs handed out here have been completed or failed. */
  stopWork(): Promise<void>;
  /** Stops the queue's own work (maintenance, schedule) and closes its connections. */
  close(): Promise<void>;
}
