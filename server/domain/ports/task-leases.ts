import type { Task } from "../../../shared/task.js";
import type { TaskPatch } from "./task-store.js";

/** A worker's hold on a running task: who, and until when (ISO-8601 UTC). */
export interface TaskLease {
  owner: string;
  expiresAt: string;
}

/**
 * How many tasks may be running when a claim is made, counted over the whole database
 * (every worker): in total, and of the claimed task's repository. Absent: no limit.
 */
export interface ClaimLimits {
  total?: number;
  perRepo?: number;
}

/** A running task with the lease it was seen under (to take it over only as seen). */
export interface LeasedTask {
  task: Task;
  owner: string | null;
  leaseExpiresAt: string | null;
}

/**
 * Which worker runs which task. A running task is owned by one worker, which renews its
 * lease while it works; a worker that dies stops renewing, and another takes the task
 * over once the lease has expired, never before. Every method is one conditional
 * statement, so two workers can never both believe they hold a task.
 */
export interface TaskLeaseStore {
  /**
   * Moves a queued task to `running` for the lease's owner with the patch's values;
   * null when it was not queued (cancelled, or claimed by another worker first), or when
   * `limits` were given and that many tasks already run (it then stays queued). Claims
   * with limits are serialized across processes, so two workers never both take the
   * last place.
   */
  claim(id: string, lease: TaskLease, patch: TaskPatch, limits?: ClaimLimits): Promise<Task | null>;
  /**
   * Extends the owner's leases of these tasks to `expiresAt`; returns the ids it still
   * holds (running and owned by it). The rest were cancelled, ended or taken over.
   */
  renewLeases(owner: string, ids: string[], expiresAt: string): Promise<string[]>;
  /** Which of these tasks the owner still holds (running and owned by it); one query. */
  heldLeases(owner: string, ids: string[]): Promise<string[]>;
  /**
   * Gives up the owner's leases of these tasks, which stay `running` (a graceful stop):
   * any worker may take them over at once. Returns how many were released.
   */
  releaseLeases(owner: string, ids: string[]): Promise<number>;
  /**
   * Running tasks a worker called `self` may take over at `now`, oldest first: their
   * lease expired, they have no owner, or `self` owns them (its previous life: each
   * worker has its own DATA_DIR, so nothing else runs under its name).
   */
  listOrphaned(self: string, now: string): Promise<LeasedTask[]>;
  /**
   * Takes a task found by {@link listOrphaned} over for the lease's owner, only if it is
   * still owned as `seen` and still orphaned at `now`; null when another worker got
   * there first or the owner renewed meanwhile.
   */
  takeOver(
    id: string,
    seen: { owner: string | null },
    lease: TaskLease,
    now: string,
  ): Promise<Task | null>;
}
