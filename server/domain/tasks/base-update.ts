import type { BaseUpdate } from "../ports/workspaces.js";
import { recordEvent } from "./record-event.js";
import type { RunContext } from "./run-context.js";

/**
 * Before a follow-up or retry on an existing thread: brings the worktree up to date with
 * the base branch, which may have moved since the agent's last turn (a thread can be days
 * old), and returns what changed in words for the prompt, or null when nothing did. A
 * failed update is logged and the turn runs on the old base: the follow-up still helps.
 */
export async function catchUpWithBase(ctx: RunContext): Promise<string | null> {
  const { deps } = ctx;
  let update: BaseUpdate | null;
  try {
    const result = await deps.workspaces.updateFromBase(
      ctx.repo,
      ctx.workspace,
      deps.settings.commitAuthor,
    );
    ctx.workspace = result.workspace;
    update = result.update;
  } catch (error) {
    ctx.log.warn({ err: error }, "worktree not updated from base");
    await recordEvent(deps, ctx.task.id, {
      type: "task.log",
      payload: {
        level: "warn",
        message: `Could not bring the worktree up to date with ${ctx.repo.baseBranch}; the agent works on the base it had`,
      },
    });
    return null;
  }
  if (update === null) return null;
  await recordEvent(deps, ctx.task.id, {
    type: "task.log",
    payload: {
      level: update.conflicts.length > 0 ? "warn" : "info",
      message:
        `Merged ${update.commitCount} new commit(s) of ${ctx.repo.baseBranch} into ${ctx.workspace.branch}` +
        (update.conflicts.length > 0
          ? `; conflicts for the agent to resolve in ${update.conflicts.join(", ")}`
          : ""),
    },
  });
  return describeBaseUpdate(update, ctx.repo.baseBranch);
}

/** What changed on the base branch, in words the agent can act on. */
export function describeBaseUpdate(update: BaseUpdate, baseBranch: string): string {
  const lines = [
    `${update.commitCount} new commit(s) landed on ${baseBranch} since your last turn and were merged into this branch:`,
    ...update.commits.map((c) => `- ${c.sha.slice(0, 10)} ${c.subject}`),
  ];
  if (update.commitCount > update.commits.length) {
    lines.push(`- … and ${update.commitCount - update.commits.length} older commit(s)`);
  }
  if (update.files.length > 0) lines.push(`Files they changed: ${update.files.join(", ")}`);
  if (update.conflicts.length > 0) {
    lines.push(
      `The merge left conflicts in: ${update.conflicts.join(", ")}. Resolve them first: edit each`,
      "file so it keeps both the base's change and yours, and remove every conflict marker",
      "(<<<<<<<, =======, >>>>>>>). Do not abort the merge and do not commit.",
    );
  }
  lines.push("Re-read any of these files before relying on what you saw in earlier turns.");
  return lines.join("\n");
}
