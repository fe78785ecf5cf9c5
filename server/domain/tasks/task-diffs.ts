import { isFinalStatus } from "../../../shared/task-state.js";
import type { Task } from "../../../shared/task.js";
import type { User } from "../../../shared/user.js";
import { AppError } from "../app-error.js";
import type { RateLimiter } from "../ports/request-limits.js";
import type { TaskStore } from "../ports/task-store.js";
import type { Workspaces } from "../ports/workspaces.js";
import { getTask } from "./get-task.js";

/** How much diff text the cache keeps, in characters, across all tasks. */
const DEFAULT_MAX_CACHED_CHARS = 32 * 1024 * 1024;

/** What {@link createTaskDiffs} reads and limits with. */
export interface TaskDiffDeps {
  store: TaskStore;
  workspaces: Workspaces;
  /** Diffs each person may have computed per window (cached answers are free). */
  limiter: RateLimiter;
  /** Cache size in characters of diff text; 32 Mi by default. */
  maxCachedChars?: number;
}

/** `GET /api/tasks/:id/diff`: a task's diff, computed once per task state. */
export interface TaskDiffs {
  /** The task's unified diff for `user`; 404 for an unknown task, 429 past the person's budget. */
  read(user: User, taskId: string): Promise<string>;
}

/**
 * A task's diff, computed at most once per task state. Computing one stages the whole
 * worktree into a scratch index (a walk of every file and a git process), so a page
 * refreshed in a loop must not repeat it:
 *
 * - A task that is not running has a worktree nobody writes to (only a run does), so its
 *   diff is cached under its status and `finishedAt`, which a retry or follow-up changes.
 * - A running task's diff changes under the agent's hands and is not cached; requests
 *   that arrive while one is being computed share it.
 * - Each computation (not a cached answer, not a shared one) is taken from the person's
 *   budget; past it the answer is 429 `rate_limited` with the seconds to wait.
 */
export function createTaskDiffs(deps: TaskDiffDeps): TaskDiffs {
  const maxChars = deps.maxCachedChars ?? DEFAULT_MAX_CACHED_CHARS;
  // Insertion order is recency: a hit is moved to the end, the oldest go first.
  const cache = new Map<string, { state: string; diff: string }>();
  let cachedChars = 0;
  const inFlight = new Map<string, Promise<string>>();

  const remember = (taskId: string, state: string, diff: string): void => {
    forget(taskId);
    if (diff.length > maxChars) return;
    cache.set(taskId, { state, diff });
    cachedChars += diff.length;
    for (const [id, entry] of cache) {
      if (cachedChars <= maxChars) break;
      cache.delete(id);
      cachedChars -= entry.diff.length;
    }
  };
  const forget = (taskId: string): void => {
    const entry = cache.get(taskId);
    if (entry === undefined) return;
    cache.delete(taskId);
    cachedChars -= entry.diff.length;
  };

  const compute = async (taskId: string): Promise<string> => {
    const workspace = await deps.workspaces.find(taskId);
    return workspace === null ? "" : deps.workspaces.diff(workspace);
  };

  return {
    async read(user, taskId) {
      const task = await getTask(deps, taskId);
      const state = cacheState(task);
      const hit = cache.get(task.id);
      if (state !== null && hit?.state === state) {
        cache.delete(task.id);
        cache.set(task.id, hit);
        return hit.diff;
      }
      const flightKey = `${task.id}\u0000${state ?? "live"}`;
      const running = inFlight.get(flightKey);
      if (running !== undefined) return running;
      const wait = deps.limiter.take(user.email);
      if (wait !== null) {
        throw new AppError(
          "rate_limited",
          `You have loaded many diffs in the last minute; try again in ${wait} s`,
          { details: { retryAfterSeconds: wait } },
        );
      }
      const flight = compute(task.id).finally(() => inFlight.delete(flightKey));
      inFlight.set(flightKey, flight);
      const diff = await flight;
      if (state !== null) remember(task.id, state, diff);
      return diff;
    },
  };
}

/** The state a diff is cached under, or null while a run may be changing the worktree. */
function cacheState(task: Task): string | null {
  if (!isFinalStatus(task.status)) return null;
  return `${task.status}|${task.finishedAt ?? ""}`;
}
