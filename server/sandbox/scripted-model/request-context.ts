import type { ScriptContext, ToolOutput } from "./types.js";

/**
 * Turns a Responses API request body into the {@link ScriptContext} scripts see. The
 * request carries the whole conversation, so everything (which prompt, which step) is
 * derived from it and the server keeps no state between requests.
 */

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asString(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

/** Text of a message's `content`, which is a string or a list of `{type, text}` parts. */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => (isObject(part) ? (asString(part.text) ?? "") : ""))
    .filter((text) => text.length > 0)
    .join("\n");
}

// Codex sends its own context (environment, AGENTS.md, skills…) as user messages wrapped in
// a single XML-ish tag or under an AGENTS.md heading; those are not the prompt.
const CONTEXT_TAG = /^<([A-Za-z_][\w-]*)>[\s\S]*<\/\1>$/;
const AGENTS_HEADING = /^# AGENTS\.md instructions/;

function isContextualUserText(text: string): boolean {
  const trimmed = text.trim();
  return CONTEXT_TAG.test(trimmed) || AGENTS_HEADING.test(trimmed);
}

/** Parses the exit code from Codex's tool output text (unified exec or apply_patch formats). */
export function parseExitCode(output: string): number | null {
  const match =
    /Process exited with code (-?\d+)/.exec(output) ?? /^Exit code: (-?\d+)/m.exec(output);
  return match?.[1] === undefined ? null : Number(match[1]);
}

function toolOutputText(output: unknown): string {
  if (typeof output === "string") return output;
  if (isObject(output) && typeof output.content === "string") return output.content;
  return contentText(output);
}

function collectTools(tools: unknown, into: ScriptContext["tools"]): void {
  if (!Array.isArray(tools)) return;
  for (const tool of tools) {
    if (!isObject(tool)) continue;
    const type = asString(tool.type) ?? "unknown";
    if (type === "namespace") {
      collectTools(tool.tools, into);
      continue;
    }
    into.push({ name: asString(tool.name) ?? type, type });
  }
}

/** Builds the script context of a request body; tolerant of missing or odd fields. */
export function buildScriptContext(body: unknown): ScriptContext {
  const request = isObject(body) ? body : {};
  const input = Array.isArray(request.input) ? request.input.filter(isObject) : [];

  const userMessages: string[] = [];
  let latestUserIndex = -1;
  let cwd: string | null = null;
  const tools: ScriptContext["tools"] = [];
  collectTools(request.tools, tools);

  input.forEach((item, index) => {
    if (item.type === "additional_tools") collectTools(item.tools, tools);
    if (item.type !== "message" || item.role !== "user") return;
    const text = contentText(item.content);
    const cwdMatch = /<cwd>([^<]*)<\/cwd>/.exec(text);
    if (cwdMatch?.[1] !== undefined) cwd = cwdMatch[1];
    if (isContextualUserText(text)) return;
    userMessages.push(text);
    latestUserIndex = index;
  });

  const callNames = new Map<string, string>();
  const toolOutputs: ToolOutput[] = [];
  input.slice(latestUserIndex + 1).forEach((item) => {
    const callId = asString(item.call_id);
    if (callId === null) return;
    if (item.type === "function_call" || item.type === "custom_tool_call") {
      const name = asString(item.name);
      if (name !== null) callNames.set(callId, name);
    } else if (item.type === "function_call_output" || item.type === "custom_tool_call_output") {
      const output = toolOutputText(item.output);
      toolOutputs.push({
        callId,
        name: callNames.get(callId) ?? null,
        output,
        exitCode: parseExitCode(output),
      });
    }
  });

  const text = isObject(request.text) ? request.text : {};
  const format = isObject(text.format) ? text.format : {};
  const outputSchema =
    format.type === "json_schema" && isObject(format.schema) ? format.schema : null;

  return {
    model: asString(request.model) ?? "",
    userMessages,
    firstUserMessage: userMessages[0] ?? "",
    latestUserMessage: userMessages.at(-1) ?? "",
    toolOutputs,
    stepIndex: toolOutputs.length,
    outputSchema,
    toolNames: tools.map((tool) => tool.name),
    tools,
    cwd,
  };
}
