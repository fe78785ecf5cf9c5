import { copyFile, lstat, mkdir, readdir, rename } from "node:fs/promises";
import path from "node:path";
import type { TaskHomeDirs } from "../../domain/ports/task-home-dirs.js";
import { isSafeTaskId } from "../../domain/task-id.js";
import { removeTree } from "../files/remove-tree.js";
import { taskHomes } from "./task-homes.js";

/** Options of {@link createAgentHomeDirs}. */
export interface AgentHomeDirsOptions {
  /** `DATA_DIR/agent-homes`: one folder per task or review run (see `taskHomes`). */
  root: string;
  /** The shared `CODEX_HOME`, where a removed task's thread is kept. */
  sharedCodexHome: string;
}

/** The thread rollouts under a Codex home's `sessions/`, relative to it; regular files only. */
async function rollouts(codexHome: string): Promise<string[]> {
  const sessions = path.join(codexHome, "sessions");
  const entries = await readdir(sessions, { recursive: true }).catch(() => [] as string[]);
  const found: string[] = [];
  for (const entry of entries) {
    if (!/^rollout-.*\.jsonl$/.test(path.basename(entry))) continue;
    // A link would make the server copy its target back on the next follow-up.
    const info = await lstat(path.join(sessions, entry)).catch(() => null);
    if (info?.isFile()) found.push(path.join("sessions", entry));
  }
  return found;
}

async function moveFile(from: string, to: string): Promise<void> {
  await mkdir(path.dirname(to), { recursive: true });
  try {
    await rename(from, to);
  } catch {
    // Another file system: copy (the original goes with its folder).
    await copyFile(from, to);
  }
}

/**
 * The agent's per-task homes on disk. Removing a task's keeps its threads: their rollouts
 * move to the shared Codex home, where `prepareTaskHomes` finds them again when a
 * follow-up on the task resumes its thread, as it does for threads older than per-task
 * homes. Everything else (the home, temporary files, Codex's state, a copied login) goes.
 */
export function createAgentHomeDirs(options: AgentHomeDirsOptions): TaskHomeDirs {
  const root = path.resolve(options.root);
  return {
    async listIds() {
      const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
      return entries
        .filter((entry) => entry.isDirectory() && isSafeTaskId(entry.name))
        .map((entry) => entry.name);
    },
    async remove(id, { keepThread }) {
      const homes = taskHomes(root, id);
      if (keepThread) {
        for (const rollout of await rollouts(homes.codexHome)) {
          await moveFile(
            path.join(homes.codexHome, rollout),
            path.join(options.sharedCodexHome, rollout),
          );
        }
      }
      await removeTree(homes.dir);
    },
  };
}
