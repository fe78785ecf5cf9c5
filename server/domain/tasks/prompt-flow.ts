import type { Task } from "../../../shared/task.js";
import { runAgentTurn, testsPassed } from "./agent-turn.js";
import { changeStatus } from "./change-status.js";
import { followUpPrompt, freeFormPrompt } from "./prompts.js";
import { complete, publish } from "./publish.js";
import type { RunContext } from "./run-context.js";

/**
 * A free-form task: one turn with the prompt (or a follow-up). When the agent changed
 * code, the change is published as a pull request; otherwise the answer is the outcome.
 */
export async function runPromptFlow(ctx: RunContext): Promise<Task> {
  ctx.task = (await changeStatus(ctx.deps, ctx.task.id, { phase: "working" })) ?? ctx.task;
  const { request } = ctx;
  const prompt =
    request.action === "follow_up"
      ? followUpPrompt({
          message: request.message ?? "",
          by: request.by,
          testCommand: ctx.repo.testCommand,
          changesSinceLastTurn: null,
        })
      : freeFormPrompt({ prompt: ctx.task.prompt ?? "", repo: ctx.repo.github });
  const turn = await runAgentTurn(ctx, {
    kind: request.action === "follow_up" ? "follow_up" : "prompt",
    prompt,
    requestedBy: request.by,
  });
  const passed = testsPassed(turn.commands, ctx.repo.testCommand);
  ctx.task = await ctx.deps.store.update(ctx.task.id, {
    summary: turn.finalResponse,
    ...(passed !== null ? { testsPassed: passed } : {}),
  });
  const diff = await ctx.deps.workspaces.diff(ctx.workspace);
  if (diff.trim() === "" && ctx.task.pullRequest === null) return complete(ctx, "answered", null);
  return publish(ctx, turn.finalResponse);
}
