import { readdir } from "node:fs/promises";
import path from "node:path";
import type { TaskHomeDirs } from "../../domain/ports/task-home-dirs.js";
import { isSafeTaskId } from "../../domain/task-id.js";
import { removeTree } from "../files/remove-tree.js";

/** The per-owner folders of each repository under `DATA_DIR/environments` (see `createEnvironmentFiles`). */
const OWNER_KINDS = ["homes", "tmp"] as const;

async function subdirectories(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
}

/**
 * The home and temporary directory each task's setup and test commands ran with, in every
 * repository's environment folder (`<root>/<owner>__<name>/{homes,tmp}/<task>`). The
 * repositories' package-manager caches (`cache/`) and cached base results are not touched.
 */
export function createEnvironmentHomeDirs(options: { root: string }): TaskHomeDirs {
  const root = path.resolve(options.root);
  return {
    async listIds() {
      const ids = new Set<string>();
      for (const repo of await subdirectories(root)) {
        for (const kind of OWNER_KINDS) {
          for (const owner of await subdirectories(path.join(root, repo, kind))) {
            if (isSafeTaskId(owner)) ids.add(owner);
          }
        }
      }
      return [...ids];
    },
    async remove(id) {
      if (!isSafeTaskId(id)) throw new Error(`invalid environment owner: ${id}`);
      for (const repo of await subdirectories(root)) {
        for (const kind of OWNER_KINDS) await removeTree(path.join(root, repo, kind, id));
      }
    },
  };
}
