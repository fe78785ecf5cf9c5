import type { Logger } from "pino";
import { isFinalStatus } from "../../../shared/task-state.js";
import type { TaskStore } from "../ports/task-store.js";
import type { Workspaces } from "../ports/workspaces.js";
import type { DiffArchive } from "../ports/diff-archive.js";
import type { TaskHomeDirs } from "../ports/task-home-dirs.js";
import { sweepTaskHomes } from "./task-homes-sweep.js";

/** Options of {@link WorkspaceJanitor}. */
export interface WorkspaceJanitorOptions {
  store: TaskStore;
  /** The real worktrees (not the archive-backed view of {@link withArchivedDiffs}). */
  workspaces: Workspaces;
  /** Where the final diff goes before its worktree is removed. */
  archive: DiffArchive;
  /** The per-task directories outside the worktrees (agent homes, environment homes); none by default. */
  homes?: readonly TaskHomeDirs[];
  /** A finished task keeps its worktree this long (follow-ups reuse it meanwhile). */
  retentionMs: number;
  /** How often to sweep. */
  intervalMs: number;
  logger: Logger;
  now?: () => Date;
}

/**
 * Removes the worktrees of tasks that finished longer ago than the retention period,
 * keeping their final diff, and then the directories those tasks kept outside their
 * worktree (see {@link sweepTaskHomes}); the first sweep, at start-up, also removes those
 * of tasks that no longer exist. It never touches a queued or running task's worktree or
 * homes: the task's status is read again right before each removal.
 */
export class WorkspaceJanitor {
  #timer: NodeJS.Timeout | undefined;
  #sweeping: Promise<string[]> | null = null;

  constructor(private readonly options: WorkspaceJanitorOptions) {}

  /** Sweeps now and then every `intervalMs`, until {@link stop}. */
  start(): void {
    if (this.#timer !== undefined) return;
    const tick = (): void => {
      void this.sweep().catch((error: unknown) => {
        this.options.logger.error({ err: error }, "workspace sweep failed");
      });
    };
    this.#timer = setInterval(tick, this.options.intervalMs);
    // A pending sweep must not keep the process alive on shutdown.
    this.#timer.unref();
    tick();
  }

  /** Stops sweeping and waits for a sweep in progress. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#sweeping?.catch(() => undefined);
  }

  /** One sweep (sweeps never overlap); returns the ids of the tasks whose worktree it removed. */
  sweep(): Promise<string[]> {
    this.#sweeping ??= this.#sweep().finally(() => {
      this.#sweeping = null;
    });
    return this.#sweeping;
  }

  async #sweep(): Promise<string[]> {
    const { store, workspaces, archive, logger } = this.options;
    const now = (this.options.now ?? (() => new Date()))();
    const cutoff = now.getTime() - this.options.retentionMs;
    const removed: string[] = [];
    // The worktrees on disk are few; the task history may hold hundreds of thousands.
    for (const id of await workspaces.listIds()) {
      try {
        const task = await store.get(id);
        // No task: a nightly review's checkout, which the review removes itself.
        if (task === null || !isFinalStatus(task.status)) continue;
        if (task.finishedAt === null || Date.parse(task.finishedAt) > cutoff) continue;
        const live = await workspaces.find(task.id);
        if (live === null) continue;
        await archive.save(task.id, await workspaces.diff(live));
        // Read again, last thing before removing: a follow-up or retry may have queued it.
        const fresh = await store.get(task.id);
        if (
          fresh === null ||
          !isFinalStatus(fresh.status) ||
          fresh.finishedAt !== task.finishedAt
        ) {
          continue;
        }
        await workspaces.remove(task.id);
        removed.push(task.id);
      } catch (error) {
        logger.warn({ err: error, taskId: id }, "workspace not removed");
      }
    }
    if (removed.length > 0) logger.info({ removed: removed.length }, "workspaces swept");
    await this.#sweepHomes(cutoff);
    return removed;
  }

  async #sweepHomes(cutoff: number): Promise<void> {
    const { store, workspaces, homes = [], logger } = this.options;
    try {
      const removed = await sweepTaskHomes({ store, workspaces, homes, cutoff, logger });
      if (removed.length > 0) logger.info({ removed: removed.length }, "task homes swept");
    } catch (error) {
      logger.warn({ err: error }, "task homes not swept");
    }
  }
}
