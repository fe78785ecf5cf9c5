import type { Logger } from "pino";
import type { Task } from "../../../shared/task.js";
import type { TaskLeaseStore } from "../ports/task-leases.js";
import { leaseExpiry, type WorkerIdentity } from "./worker-identity.js";

/** Where a task taken over was running: this worker's previous life, or another worker. */
export type TakenFrom = "self" | "other";

/** Decides what becomes of a task taken over (resume, restart or end); must not throw for one task. */
export type RecoverTakenOver = (task: Task, from: TakenFrom) => Promise<void>;

/**
 * Takes over every running task whose lease expired (its worker died or hung), that no
 * one holds (handed over by a worker that stopped), or that this worker's previous life
 * left: never a task another live worker renews. Each is then recovered. Returns the ids
 * taken over.
 */
export async function takeOverOrphans(deps: {
  store: TaskLeaseStore;
  worker: WorkerIdentity;
  now: () => Date;
  logger: Logger;
  recover: RecoverTakenOver;
  /** Ids this process runs right now: its own leases, renewed or not, are not orphans. */
  runningHere: ReadonlySet<string>;
}): Promise<string[]> {
  const { store, worker, now, logger } = deps;
  const taken: string[] = [];
  for (const orphan of await store.listOrphaned(worker.id, now().toISOString())) {
    if (deps.runningHere.has(orphan.task.id)) continue;
    const at = now();
    const task = await store.takeOver(
      orphan.task.id,
      { owner: orphan.owner },
      { owner: worker.id, expiresAt: leaseExpiry(worker, at) },
      at.toISOString(),
    );
    if (task === null) continue; // another worker was first, or the owner came back
    // Handed over (no owner) by whichever worker stopped: recovery resumes it where its
    // worktree is, and starts it again elsewhere.
    const from: TakenFrom = orphan.owner === worker.id ? "self" : "other";
    logger.warn(
      { taskId: task.id, previousOwner: orphan.owner, leaseExpiresAt: orphan.leaseExpiresAt },
      "task taken over",
    );
    try {
      await deps.recover(task, from);
    } catch (error) {
      logger.error({ err: error, taskId: task.id }, "task recovery failed");
    }
    taken.push(task.id);
  }
  return taken;
}
