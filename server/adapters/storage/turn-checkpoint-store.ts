import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import type { Logger } from "pino";
import type {
  RolloutFile,
  TurnCheckpoint,
  TurnCheckpoints,
} from "../../domain/ports/turn-checkpoints.js";
import type { Database } from "./database.js";
import { nowIso } from "./timestamps.js";

const zip = promisify(gzip);
const unzip = promisify(gunzip);

/** A row of `turn_checkpoints` (migration 0012). */
interface TurnCheckpointsTable {
  task_id: string;
  turn: number;
  thread_id: string;
  base_sha: string;
  rollouts: Buffer;
  changes: Buffer;
  size_bytes: number;
  saved_at: string;
}

/**
 * The default cap on one checkpoint, gzipped. A thread's rollout is tens to hundreds of
 * kilobytes and a fix's patch less; past this, something (a generated file, a dump the
 * agent wrote) would make every turn ship megabytes to the database.
 */
export const DEFAULT_CHECKPOINT_MAX_BYTES = 32 * 1024 * 1024;

/** Options of {@link createTurnCheckpointStore}. */
export interface TurnCheckpointStoreOptions {
  logger: Logger;
  /** Largest checkpoint stored (gzipped bytes); {@link DEFAULT_CHECKPOINT_MAX_BYTES} unless told. */
  maxBytes?: number;
}

/**
 * Turn checkpoints in SQL, one row per task, both blobs gzipped. The rollout files are
 * framed as (path length, path, size, bytes) records, so any bytes survive.
 */
export function createTurnCheckpointStore(
  db: Database,
  options: TurnCheckpointStoreOptions,
): TurnCheckpoints {
  const kysely = db.kysely.withTables<{ turn_checkpoints: TurnCheckpointsTable }>();
  const maxBytes = options.maxBytes ?? DEFAULT_CHECKPOINT_MAX_BYTES;
  return {
    async save(taskId, checkpoint) {
      const [rollouts, changes] = await Promise.all([
        zip(frameFiles(checkpoint.rollouts)),
        zip(checkpoint.changes),
      ]);
      const size = rollouts.length + changes.length;
      if (size > maxBytes) {
        // An older checkpoint would resume a thread the task has moved on from: drop it too.
        await kysely.deleteFrom("turn_checkpoints").where("task_id", "=", taskId).execute();
        options.logger.warn(
          { taskId, turn: checkpoint.turn, bytes: size, maxBytes },
          "turn checkpoint not stored: larger than the cap",
        );
        return "too_large";
      }
      const row = {
        turn: checkpoint.turn,
        thread_id: checkpoint.threadId,
        base_sha: checkpoint.baseSha,
        rollouts,
        changes,
        size_bytes: size,
        saved_at: nowIso(),
      };
      await kysely
        .insertInto("turn_checkpoints")
        .values({ task_id: taskId, ...row })
        .onConflict((conflict) =>
          // A late save of an earlier turn never replaces a later one.
          conflict
            .column("task_id")
            .doUpdateSet(row)
            .where("turn_checkpoints.turn", "<=", checkpoint.turn),
        )
        .execute();
      return "saved";
    },
    async latest(taskId) {
      const row = await kysely
        .selectFrom("turn_checkpoints")
        .selectAll()
        .where("task_id", "=", taskId)
        .executeTakeFirst();
      if (row === undefined) return null;
      const [rollouts, changes] = await Promise.all([unzip(row.rollouts), unzip(row.changes)]);
      const checkpoint: TurnCheckpoint = {
        turn: Number(row.turn),
        threadId: row.thread_id,
        baseSha: row.base_sha,
        rollouts: unframeFiles(rollouts),
        changes,
      };
      return checkpoint;
    },
  };
}

/** Files as one buffer of `u32 path length, path (UTF-8), u32 size, bytes` records. */
function frameFiles(files: readonly RolloutFile[]): Buffer {
  const parts: Buffer[] = [];
  for (const file of files) {
    const name = Buffer.from(file.path, "utf8");
    const head = Buffer.alloc(4);
    head.writeUInt32BE(name.length);
    const size = Buffer.alloc(4);
    size.writeUInt32BE(file.bytes.length);
    parts.push(head, name, size, Buffer.from(file.bytes));
  }
  return Buffer.concat(parts);
}

/** The files {@link frameFiles} framed. */
function unframeFiles(buffer: Buffer): RolloutFile[] {
  const files: RolloutFile[] = [];
  let at = 0;
  while (at < buffer.length) {
    const nameLength = buffer.readUInt32BE(at);
    const name = buffer.subarray(at + 4, at + 4 + nameLength).toString("utf8");
    at += 4 + nameLength;
    const size = buffer.readUInt32BE(at);
    files.push({ path: name, bytes: buffer.subarray(at + 4, at + 4 + size) });
    at += 4 + size;
  }
  return files;
}
