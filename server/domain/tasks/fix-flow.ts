import { AnalysisSchema, type Analysis } from "../../../shared/analysis.js";
import type { Task } from "../../../shared/task.js";
import { AppError } from "../app-error.js";
import { parseStructuredOutput } from "../structured-output.js";
import { runAgentTurn } from "./agent-turn.js";
import { catchUpWithBase } from "./base-update.js";
import {
  analyzePrompt,
  automatedFollowUpPrompt,
  fixPrompt,
  followUpPrompt,
  resumePrompt,
} from "./prompts.js";
import { completeTask } from "./complete-task.js";
import { publish } from "./publish.js";
import { jiraNotFixableComment } from "./publish-text.js";
import { recordEvent } from "./record-event.js";
import type { RunContext } from "./run-context.js";
import { judgeChange } from "./server-tests.js";
import { changeRunning, updateRunning } from "./run-update.js";

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
    const text = {
      message: request.message ?? "",
      by: request.by,
      testCommand,
      changesSinceLastTurn,
    };
    const source = request.source;
    const turn = await runAgentTurn(ctx, {
      kind: "follow_up",
      prompt:
        source === "ci" || source === "review"
          ? automatedFollowUpPrompt({ ...text, source })
          : followUpPrompt(text),
      requestedBy: request.by,
    });
    await judgeChange(ctx);
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
    await finishFixTurn(ctx, turn.finalResponse);
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
  await finishFixTurn(ctx, turn.finalResponse);
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
    // The first turn to read the untrusted ticket: it may look, not write.
    sandbox: "read-only",
  });
  const analysis = parseAnalysis(turn.finalResponse);
  ctx.task = await updateRunning(ctx.deps, ctx.task.id, { analysis });
  await recordEvent(ctx.deps, ctx.task.id, { type: "task.analysis", payload: { analysis } });
  return analysis;
}

/** Parses the analysis turn's final message; the model must answer with the schema. */
export function parseAnalysis(text: string): Analysis {
  return parseStructuredOutput(text, AnalysisSchema, "The agent's analysis");
}

async function notFixable(ctx: RunContext): Promise<Task> {
  const summary = ctx.task.analysis?.notFixableReason ?? "Not fixable by a code change";
  ctx.task = await updateRunning(ctx.deps, ctx.task.id, { summary });
  if (ctx.task.ticketKey !== null) {
    await ctx.deps.tracker.addComment(ctx.task.ticketKey, jiraNotFixableComment(ctx.task));
  }
  return completeTask(ctx, "not_fixable", null);
}

/**
 * Keeps the agent's summary (its claim, shown as what it said) and lets the server's own
 * test run give the verdict.
 */
async function finishFixTurn(ctx: RunContext, summary: string): Promise<void> {
  ctx.task = await updateRunning(ctx.deps, ctx.task.id, { summary });
  await judgeChange(ctx);
}

async function setPhase(ctx: RunContext, phase: Task["phase"]): Promise<void> {
  ctx.task = await changeRunning(ctx.deps, ctx.task.id, { phase });
}
