import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { AppError } from "../../domain/app-error.js";
import type { DiffArchive } from "../../domain/ports/diff-archive.js";
import { isSafeTaskId } from "../../domain/task-id.js";

/**
 * Archived diffs as files, `dir/<taskId>.diff`, next to the database. Written to a
 * temporary file and renamed, so a crash never leaves half a diff behind.
 */
export function createFileDiffArchive(dir: string): DiffArchive {
  const fileOf = (taskId: string): string => {
    if (!isSafeTaskId(taskId)) throw new AppError("internal", `Invalid task id: ${taskId}`);
    return path.join(dir, `${taskId}.diff`);
  };
  return {
    async save(taskId, diff) {
      const file = fileOf(taskId);
      await mkdir(dir, { recursive: true });
      const temporary = `${file}.tmp-${process.pid}`;
      await writeFile(temporary, diff, { flush: true });
      await rename(temporary, file);
    },
    async load(taskId) {
      try {
        return await readFile(fileOf(taskId), "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
  };
}
