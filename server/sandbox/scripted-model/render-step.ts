import type { ScriptContext, StepSpec } from "./types.js";

/**
 * Renders a script step as Responses API output items, picking whichever tool flavour
 * Codex offered for the model in use (e.g. `exec_command` vs `shell`, freeform vs JSON
 * `apply_patch`), so scripts stay independent of the model name.
 */

/** A Responses API output item, as sent in `response.output_item.*` events. */
export type OutputItem = Record<string, unknown>;

/** Makes unique ids for items and tool calls. */
export type IdFactory = (prefix: string) => string;

function toolType(ctx: ScriptContext, name: string): string | null {
  return ctx.tools.find((tool) => tool.name === name)?.type ?? null;
}

function functionCall(ids: IdFactory, name: string, args: unknown): OutputItem {
  return {
    type: "function_call",
    id: ids("fc"),
    call_id: ids("call"),
    name,
    arguments: JSON.stringify(args),
  };
}

function assistantMessage(ids: IdFactory, text: string): OutputItem {
  return {
    type: "message",
    id: ids("msg"),
    role: "assistant",
    status: "completed",
    content: [{ type: "output_text", text, annotations: [] }],
  };
}

function shellCall(
  ctx: ScriptContext,
  ids: IdFactory,
  command: string,
  workdir?: string,
): OutputItem {
  const dir = workdir === undefined ? {} : { workdir };
  if (toolType(ctx, "shell_command") !== null && toolType(ctx, "exec_command") === null) {
    return functionCall(ids, "shell_command", { command, ...dir });
  }
  if (toolType(ctx, "shell") !== null && toolType(ctx, "exec_command") === null) {
    return functionCall(ids, "shell", { command: ["bash", "-lc", command], ...dir });
  }
  // exec_command (unified exec) is what current Codex models get; it is also the default
  // when the request offered no recognisable shell tool, so Codex answers with an error.
  return functionCall(ids, "exec_command", { cmd: command, ...dir });
}

function withTrailingNewline(text: string): string {
  return text.endsWith("\n") ? text : `${text}\n`;
}

/** Renders one step as the output item that carries it. */
export function renderStep(ctx: ScriptContext, step: StepSpec, ids: IdFactory): OutputItem {
  switch (step.kind) {
    case "shell":
      return shellCall(ctx, ids, step.command, step.workdir);
    case "patch": {
      const patch = withTrailingNewline(step.patch);
      const type = toolType(ctx, "apply_patch");
      if (type === "custom") {
        return {
          type: "custom_tool_call",
          id: ids("ctc"),
          call_id: ids("call"),
          name: "apply_patch",
          input: patch,
        };
      }
      if (type === "function") return functionCall(ids, "apply_patch", { input: patch });
      // Without an apply_patch tool Codex still intercepts `apply_patch` run through the shell.
      return shellCall(ctx, ids, `apply_patch <<'PATCHBOARD_EOF'\n${patch}PATCHBOARD_EOF`);
    }
    case "plan":
      return functionCall(ids, "update_plan", {
        ...(step.explanation === undefined ? {} : { explanation: step.explanation }),
        plan: step.items,
      });
    case "message":
      return assistantMessage(ids, step.text);
    case "json":
      return assistantMessage(ids, JSON.stringify(step.value));
  }
}

/** Renders a reasoning summary item. */
export function renderReasoning(ids: IdFactory, text: string): OutputItem {
  return {
    type: "reasoning",
    id: ids("rs"),
    summary: [{ type: "summary_text", text }],
    content: null,
    encrypted_content: null,
  };
}

/** Renders a plain assistant message (used for the engine's own notices). */
export function renderMessage(ids: IdFactory, text: string): OutputItem {
  return assistantMessage(ids, text);
}
