import type { Task } from "../../../shared/task.js";
import { runAgentTurn } from "./agent-turn.js";
import { catchUpWithBase } from "./base-update.js";
import { followUpPrompt, freeFormPrompt } from "./prompts.js";
import { completeTask } from "./complete-task.js";
import { publish } from "./publish.js";
import type { RunContext } from "./run-context.js";
import { judgeChange } from "./server-tests.js";
import { changeRunning, updateRunning } from "./run-update.js";

/**
 * A free-form task: one turn with the prompt (or a follow-up). When the agent changed
 * code, the change is published as a pull request; otherwise the answer is the outcome.
 * A retry of a run that stopped while publishing only publishes again (idempotently).
 */
export async function runPromptFlow(ctx: RunContext): Promise<Task> {
  const { request } = ctx;
  if (
    request.action === "retry" &&
    request.previous?.phase === "publishing" &&
    ctx.task.threadId !== null
  ) {
    return publish(ctx, ctx.task.summary ?? "");
  }
  ctx.task = await changeRunning(ctx.deps, ctx.task.id, { phase: "working" });
  // A thread from an earlier run may be days old: catch up with the base branch first.
  const changes =
    request.action !== "create" && ctx.task.threadId !== null ? await catchUpWithBase(ctx) : null;
  const prompt =
    request.action === "follow_up"
      ? followUpPrompt({
          message: request.message ?? "",
          by: request.by,
          testCommand: ctx.repo.testCommand,
          changesSinceLastTurn: changes,
        })
      : [
          ...(changes === null ? [] : [changes, ""]),
          freeFormPrompt({ prompt: ctx.task.prompt ?? "", repo: ctx.repo.github }),
        ].join("\n");
  const turn = await runAgentTurn(ctx, {
    kind: request.action === "follow_up" ? "follow_up" : "prompt",
    prompt,
    requestedBy: request.by,
  });
  ctx.task = await updateRunning(ctx.deps, ctx.task.id, { summary: turn.finalResponse });
  const diff = await ctx.deps.workspaces.diff(ctx.workspace);
  if (diff.trim() === "" && ctx.task.pullRequest === null)
    return completeTask(ctx, "answered", null);
  // A change is judged by the server's own test run, never by what the agent said.
  await judgeChange(ctx);
  return publish(ctx, turn.finalResponse);
}
