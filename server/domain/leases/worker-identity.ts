/**
 * Who a worker is, for the leases of the tasks it runs: a name that stays the same
 * across its restarts (it is kept in its DATA_DIR) and how long a lease it takes.
 */
export interface WorkerIdentity {
  id: string;
  /** How long a lease holds without renewal (`TASK_LEASE_MS`); renewed every third of it. */
  leaseMs: number;
}

/** When a lease taken or renewed at `now` expires, as stored. */
export function leaseExpiry(worker: WorkerIdentity, now: Date): string {
  return new Date(now.getTime() + worker.leaseMs).toISOString();
}
