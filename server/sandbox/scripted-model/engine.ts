import { randomUUID } from "node:crypto";
import { renderMessage, renderReasoning, renderStep } from "./render-step.js";
import type { IdFactory, OutputItem } from "./render-step.js";
import type { Matcher, Script, ScriptContext, ScriptedUsage, StepSpec } from "./types.js";

/**
 * The stateless script engine: given the scripts and one request's context, decides what
 * the model answers. Pure apart from id generation, so it is unit-tested without Codex.
 */

/**
 * The model name to give Codex with the scripted model: its catalog entry offers
 * `exec_command` and a freeform `apply_patch` (newer defaults are code-mode only).
 */
export const SCRIPTED_MODEL_NAME = "gpt-5.5";

const SHELL_TOOLS = ["exec_command", "shell", "shell_command"];

/** What to answer to one request. */
export interface ResponsePlan {
  script: string | null;
  turnIndex: number | null;
  stepIndex: number;
  /** Pause after `response.created` before the items. */
  delayMs: number;
  items: OutputItem[];
  usage: ScriptedUsage;
}

/** Default id factory: unique, prefixed like OpenAI's ids. */
export const randomIds: IdFactory = (prefix) => `${prefix}_${randomUUID().replaceAll("-", "")}`;

function matches(matcher: Matcher, text: string, ctx: ScriptContext): boolean {
  if (matcher instanceof RegExp) {
    // A global/sticky RegExp keeps lastIndex between calls; reset it so matching stays stateless.
    matcher.lastIndex = 0;
    return matcher.test(text);
  }
  return matcher(ctx);
}

function excerpt(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > 160 ? `${oneLine.slice(0, 157)}...` : oneLine;
}

// Roughly four bytes a token, like OpenAI's rule of thumb; good enough for demo figures.
function tokens(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 4));
}

function deriveUsage(
  ctx: ScriptContext,
  requestBytes: number,
  items: OutputItem[],
  override: Partial<ScriptedUsage> | undefined,
): ScriptedUsage {
  const inputTokens = override?.inputTokens ?? tokens(requestBytes);
  // Later requests of a turn resend the same prefix, which the real API would mostly cache.
  const cachedDefault = ctx.stepIndex > 0 ? Math.floor(inputTokens * 0.75) : 0;
  return {
    inputTokens,
    cachedInputTokens: Math.min(override?.cachedInputTokens ?? cachedDefault, inputTokens),
    outputTokens: override?.outputTokens ?? tokens(Buffer.byteLength(JSON.stringify(items))),
  };
}

function notice(
  ctx: ScriptContext,
  requestBytes: number,
  ids: IdFactory,
  text: string,
  script: string | null,
  turnIndex: number | null,
): ResponsePlan {
  const items = [renderMessage(ids, text)];
  return {
    script,
    turnIndex,
    stepIndex: ctx.stepIndex,
    delayMs: 0,
    items,
    usage: deriveUsage(ctx, requestBytes, items, undefined),
  };
}

/**
 * Decides the answer to one request: the matching script, its matching turn and the step
 * at `ctx.stepIndex`. Never throws and never leaves Codex waiting: anything that does not
 * fit the scripts is answered with an assistant message that says why.
 */
export function planResponse(
  scripts: readonly Script[],
  ctx: ScriptContext,
  requestBytes: number,
  ids: IdFactory = randomIds,
): ResponsePlan {
  const allPrompts = ctx.userMessages.join("\n");
  const script = scripts.find((candidate) => matches(candidate.match, allPrompts, ctx));
  if (script === undefined) {
    return notice(
      ctx,
      requestBytes,
      ids,
      `[scripted model] No script matches this request (prompt: "${excerpt(ctx.firstUserMessage)}").`,
      null,
      null,
    );
  }
  const turnIndex = script.turns.findIndex((turn) =>
    matches(turn.match, ctx.latestUserMessage, ctx),
  );
  const turn = script.turns[turnIndex];
  if (turn === undefined) {
    return notice(
      ctx,
      requestBytes,
      ids,
      `[scripted model] Script "${script.name}" has no turn matching the prompt "${excerpt(ctx.latestUserMessage)}".`,
      script.name,
      null,
    );
  }
  const step = turn.steps[ctx.stepIndex];
  if (step === undefined) {
    return notice(
      ctx,
      requestBytes,
      ids,
      `[scripted model] Script "${script.name}" turn ${turnIndex} has no step ${ctx.stepIndex}; ending the turn.`,
      script.name,
      turnIndex,
    );
  }
  let spec: StepSpec;
  try {
    spec = typeof step === "function" ? step(ctx) : step;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return notice(
      ctx,
      requestBytes,
      ids,
      `[scripted model] Step ${ctx.stepIndex} of script "${script.name}" failed: ${reason}`,
      script.name,
      turnIndex,
    );
  }
  const needsShell = spec.kind === "shell" || spec.kind === "patch";
  if (needsShell && !SHELL_TOOLS.some((name) => ctx.toolNames.includes(name))) {
    // Code-mode models (Codex's default) only offer a JavaScript `exec` tool we cannot drive.
    return notice(
      ctx,
      requestBytes,
      ids,
      `[scripted model] Codex offered no shell tool for model "${ctx.model}"; use model "${SCRIPTED_MODEL_NAME}".`,
      script.name,
      turnIndex,
    );
  }
  const items: OutputItem[] = [];
  if (spec.reasoning !== undefined) items.push(renderReasoning(ids, spec.reasoning));
  items.push(renderStep(ctx, spec, ids));
  return {
    script: script.name,
    turnIndex,
    stepIndex: ctx.stepIndex,
    delayMs: Math.max(0, spec.delayMs ?? 0),
    items,
    usage: deriveUsage(ctx, requestBytes, items, spec.usage),
  };
}
