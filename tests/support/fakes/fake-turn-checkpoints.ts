import type {
  RolloutFile,
  ThreadRollouts,
  TurnCheckpoint,
  TurnCheckpoints,
} from "../../../server/domain/ports/turn-checkpoints.js";

/** Turn checkpoints in memory, one per task, as the storage adapter keeps them. */
export class InMemoryTurnCheckpoints implements TurnCheckpoints {
  readonly checkpoints = new Map<string, TurnCheckpoint>();
  /** Every save, in order: which task and turn. */
  readonly saves: { taskId: string; turn: number }[] = [];

  save(taskId: string, checkpoint: TurnCheckpoint): Promise<"saved" | "too_large"> {
    this.saves.push({ taskId, turn: checkpoint.turn });
    this.checkpoints.set(taskId, checkpoint);
    return Promise.resolve("saved");
  }

  latest(taskId: string): Promise<TurnCheckpoint | null> {
    return Promise.resolve(this.checkpoints.get(taskId) ?? null);
  }
}

/**
 * Codex homes in memory: a thread "has" a rollout once the fake agent ran a turn on it
 * (`record`), and `restore` writes files back as a worker's Codex home would hold them.
 */
export class FakeThreadRollouts implements ThreadRollouts {
  /** Files per task: what its Codex home on "this machine" holds. */
  readonly homes = new Map<string, RolloutFile[]>();

  /** The rollout Codex would have written for `threadId` (one line per turn). */
  record(taskId: string, threadId: string, line: string): void {
    const path = `sessions/2030/01/01/rollout-2030-01-01T00-00-00-${threadId}.jsonl`;
    const files = this.homes.get(taskId) ?? [];
    const existing = files.find((f) => f.path === path);
    const bytes = Buffer.concat([Buffer.from(existing?.bytes ?? []), Buffer.from(`${line}\n`)]);
    this.homes.set(taskId, [...files.filter((f) => f.path !== path), { path, bytes }]);
  }

  read(taskId: string, threadId: string): Promise<RolloutFile[]> {
    const files = this.homes.get(taskId) ?? [];
    return Promise.resolve(files.filter((f) => f.path.endsWith(`-${threadId}.jsonl`)));
  }

  restore(taskId: string, files: readonly RolloutFile[]): Promise<void> {
    this.homes.set(taskId, [...files]);
    return Promise.resolve();
  }
}
