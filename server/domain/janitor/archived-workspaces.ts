import { AppError } from "../app-error.js";
import type { Workspace, Workspaces } from "../ports/workspaces.js";
import type { DiffArchive } from "../ports/diff-archive.js";

/**
 * Workspaces that remember a removed worktree's diff: `remove` archives the final diff
 * first, and `find` of a task whose worktree is gone answers a read-only stand-in whose
 * `diff` is the archived one (what `GET /api/tasks/:id/diff` shows). Writing through a
 * stand-in is refused; `prepare` makes a real worktree again (a follow-up on a cleaned
 * task continues from its pushed branch).
 */
export function withArchivedDiffs(inner: Workspaces, archive: DiffArchive): Workspaces {
  const archived = new WeakMap<Workspace, string>();
  const refuse = (): never => {
    throw new AppError(
      "git_failed",
      "The task's worktree was removed after the retention period; retry or follow up to make a new one",
    );
  };
  return {
    prepare: (repo, taskId, branch, options) => inner.prepare(repo, taskId, branch, options),
    restore: (repo, taskId, branch, saved) => inner.restore(repo, taskId, branch, saved),
    checkpoint(workspace) {
      return archived.has(workspace) ? refuse() : inner.checkpoint(workspace);
    },
    async find(taskId) {
      const live = await inner.find(taskId);
      if (live !== null) return live;
      const diff = await archive.load(taskId);
      if (diff === null) return null;
      const standIn: Workspace = { path: "", branch: "", baseSha: "" };
      archived.set(standIn, diff);
      return standIn;
    },
    listIds: () => inner.listIds(),
    diff(workspace) {
      const diff = archived.get(workspace);
      return diff === undefined ? inner.diff(workspace) : Promise.resolve(diff);
    },
    stage(workspace) {
      return archived.has(workspace) ? refuse() : inner.stage(workspace);
    },
    commitStaged(workspace, message, author) {
      return archived.has(workspace) ? refuse() : inner.commitStaged(workspace, message, author);
    },
    push(repo, workspace) {
      return archived.has(workspace) ? refuse() : inner.push(repo, workspace);
    },
    updateFromBase(repo, workspace, author) {
      return archived.has(workspace) ? refuse() : inner.updateFromBase(repo, workspace, author);
    },
    async remove(taskId) {
      const live = await inner.find(taskId);
      if (live !== null) await archive.save(taskId, await inner.diff(live));
      await inner.remove(taskId);
    },
  };
}
