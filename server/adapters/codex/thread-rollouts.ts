import { lstat, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { AppError } from "../../domain/app-error.js";
import type { RolloutFile, ThreadRollouts } from "../../domain/ports/turn-checkpoints.js";
import { taskHomes } from "./task-homes.js";

/** `sessions/<any folders>/rollout-<anything>.jsonl`, nothing else: what Codex writes and reads. */
function isRolloutPath(relative: string): boolean {
  const parts = relative.split("/");
  return (
    parts.length >= 2 &&
    parts[0] === "sessions" &&
    parts.every((part) => part !== "" && part !== "." && part !== "..") &&
    /^rollout-[\w.:-]+\.jsonl$/.test(parts.at(-1) ?? "")
  );
}

/**
 * A task's Codex threads in its own Codex home (`<root>/<taskId>/codex-home`, see
 * `taskHomes`): what a checkpoint ships to the database after each turn, and what another
 * worker writes back before it resumes the thread (Codex resumes a thread from its
 * rollout alone).
 */
export function createThreadRollouts(options: { root: string }): ThreadRollouts {
  const root = path.resolve(options.root);
  return {
    async read(taskId, threadId) {
      const codexHome = taskHomes(root, taskId).codexHome;
      const sessions = path.join(codexHome, "sessions");
      const entries = await readdir(sessions, { recursive: true }).catch(() => [] as string[]);
      const suffix = `-${threadId}.jsonl`;
      const files: RolloutFile[] = [];
      for (const entry of entries.sort()) {
        const relative = path.join("sessions", entry).split(path.sep).join("/");
        if (!entry.endsWith(suffix) || !isRolloutPath(relative)) continue;
        const file = path.join(sessions, entry);
        // Only regular files: a link would ship whatever it points at.
        if (!(await lstat(file)).isFile()) continue;
        files.push({ path: relative, bytes: await readFile(file) });
      }
      return files;
    },
    async restore(taskId, files) {
      const codexHome = taskHomes(root, taskId).codexHome;
      for (const file of files) {
        // The database is not trusted to name a path: only a rollout under sessions/.
        if (!isRolloutPath(file.path)) {
          throw new AppError("internal", `Not a thread rollout path: ${file.path}`);
        }
        const target = path.join(codexHome, ...file.path.split("/"));
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, file.bytes);
      }
    },
  };
}
