import { AnalysisSchema, type Analysis } from "../../../shared/analysis.js";
import type { Task } from "../../../shared/task.js";
import { AppError } from "../app-error.js";
import { runAgentTurn, testsPassed } from "./agent-turn.js";
import { catchUpWithBase } from "./base-update.js";
import { changeStatus } from "./change-status.js";
import { analyzePrompt, fixPrompt, followUpPrompt, resumePrompt } from "./prompts.js";
import { complete, publish } from "./publish.js";
import { jiraNotFixableComment } from "./publish-text.js";
import { recordEvent } from "./record-event.js";
import type { RunContext } from "./run-context.js";

/**
 * A fix: analyze (structured), then fix and test, then publish. A retry resumes where the
 * task stopped; a follow-up runs one more turn on the thread and publishes to the same
 * pull request.
 */
export async function runFixFlow(ctx: RunContext): Promise<Task> {
  const { request, task } = ctx;
  const testCommand = ctx.repo.testCommand;
  if (request.action === "follow_up") {
    await setPhase(ctx, "fixing");
    const changesSinceLastTurn = await catchUpWithBase(ctx);
    const turn = await runAgentTurn(ctx, {
      kind: "follow_up",
      prompt: followUpPrompt({
        message: request.message ?? "",
        by: request.by,
        testCommand,
        changesSinceLastTurn,
      }),
      requestedBy: request.by,
    });
    await recordTests(ctx, testsPassed(turn.commands, testCommand));
    return publish(ctx, turn.finalResponse);
  }
  if (request.action === "retry" && task.analysis !== null && task.threadId !== null) {
    // Failed while publishing: the change is there; publish it again (idempotently).
    if (request.previous?.phase === "publishing") return publish(ctx, task.summary ?? "");
    if (!task.analysis.fixable) return notFixable(ctx);
    await setPhase(ctx, "fixing");
    const changes = await catchUpWithBase(ctx);
    const resume = resumePrompt({
      testCommand,
      previousError: request.previous?.error?.message ?? null,
    });
    const turn = await runAgentTurn(ctx, {
      kind: "resume",
      prompt: changes === null ? resume : `${changes}\n\n${resume}`,
      requestedBy: request.by,
    });
    await finishFixTurn(ctx, turn.finalResponse, testsPassed(turn.commands, testCommand));
    return publish(ctx, turn.finalResponse);
  }

  const analysis = await analyze(ctx);
  if (!analysis.fixable) return notFixable(ctx);
  await setPhase(ctx, "fixing");
  const turn = await runAgentTurn(ctx, {
    kind: "fix",
    prompt: fixPrompt({ analysis, testCommand }),
    requestedBy: null,
  });
  await finishFixTurn(ctx, turn.finalResponse, testsPassed(turn.commands, testCommand));
  return publish(ctx, turn.finalResponse);
}

async function analyze(ctx: RunContext): Promise<Analysis> {
  await setPhase(ctx, "analyzing");
  const snapshot = ctx.task.ticketSnapshot;
  if (snapshot === null) throw new AppError("internal", "The fix task has no ticket snapshot");
  const turn = await runAgentTurn(ctx, {
    kind: "analyze",
    prompt: analyzePrompt({
      ticket: snapshot,
      repo: ctx.repo.github,
      instructions: ctx.task.instructions,
    }),
    requestedBy: null,
    outputSchema: AnalysisSchema,
  });
  const analysis = parseAnalysis(turn.finalResponse);
  ctx.task = await ctx.deps.store.update(ctx.task.id, { analysis });
  await recordEvent(ctx.deps, ctx.task.id, { type: "task.analysis", payload: { analysis } });
  return analysis;
}

/** Parses the analysis turn's final message; the model must answer with the schema. */
export function parseAnalysis(text: string): Analysis {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AppError("codex_failed", "The agent's analysis was not the JSON that was asked for", {
      cause: error,
    });
  }
  const parsed = AnalysisSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError("codex_failed", "The agent's analysis did not match the expected shape", {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

async function notFixable(ctx: RunContext): Promise<Task> {
  const summary = ctx.task.analysis?.notFixableReason ?? "Not fixable by a code change";
  ctx.task = await ctx.deps.store.update(ctx.task.id, { summary });
  if (ctx.task.ticketKey !== null) {
    await ctx.deps.tracker.addComment(ctx.task.ticketKey, jiraNotFixableComment(ctx.task));
  }
  return complete(ctx, "not_fixable", null);
}

async function finishFixTurn(
  ctx: RunContext,
  summary: string,
  passed: boolean | null,
): Promise<void> {
  ctx.task = await ctx.deps.store.update(ctx.task.id, { summary, testsPassed: passed });
}

async function recordTests(ctx: RunContext, passed: boolean | null): Promise<void> {
  // A follow-up that did not run the tests leaves the earlier verdict as it was.
  if (passed !== null) ctx.task = await ctx.deps.store.update(ctx.task.id, { testsPassed: passed });
}

async function setPhase(ctx: RunContext, phase: Task["phase"]): Promise<void> {
  ctx.task = (await changeStatus(ctx.deps, ctx.task.id, { phase })) ?? ctx.task;
}
