/** One file of an agent thread's state, relative to the Codex home (`sessions/…/rollout-*.jsonl`). */
export interface RolloutFile {
  path: string;
  bytes: Uint8Array;
}

/**
 * What a task looked like when its agent last completed a turn: enough for another worker
 * to take the task over and resume the same thread in the same files.
 */
export interface TurnCheckpoint {
  /** Which turn: the `seq` of the turn's `task.turn` event (grows with every turn). */
  turn: number;
  /** The Codex thread the turn ran on. */
  threadId: string;
  /** The commit the changes are against (the workspace's base at the time). */
  baseSha: string;
  /** The thread's rollout files. */
  rollouts: RolloutFile[];
  /** The worktree's changes since `baseSha`: a binary git patch (new and deleted files too). */
  changes: Uint8Array;
}

/**
 * Durable turn checkpoints, one per task: a save replaces the task's earlier checkpoint,
 * so storage does not grow with the number of turns.
 */
export interface TurnCheckpoints {
  /**
   * Stores the checkpoint in place of the task's earlier one. `too_large` when it exceeds
   * the store's cap: nothing is stored and the earlier checkpoint is dropped too, so
   * `latest` never answers with files older than the thread the task has moved on to.
   */
  save(taskId: string, checkpoint: TurnCheckpoint): Promise<"saved" | "too_large">;
  /** The task's checkpoint, or null when it has none. */
  latest(taskId: string): Promise<TurnCheckpoint | null>;
}

/** An agent thread's files on this machine (the Codex homes). */
export interface ThreadRollouts {
  /** The rollout files of `threadId` in the task's Codex home; empty when there are none. */
  read(taskId: string, threadId: string): Promise<RolloutFile[]>;
  /**
   * Writes rollout files into the task's Codex home, where the next turn resumes the
   * thread from. Refuses (AppError `internal`) a path that is not a rollout under `sessions/`.
   */
  restore(taskId: string, files: readonly RolloutFile[]): Promise<void>;
}
