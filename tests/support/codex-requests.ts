/** Builders of Responses API request bodies shaped like the ones Codex sends, for unit tests. */

/** A user message item. */
export function userMessage(text: string): Record<string, unknown> {
  return { type: "message", role: "user", content: [{ type: "input_text", text }] };
}

/** The environment context Codex sends as a user message before the prompt. */
export function environmentContext(cwd: string): Record<string, unknown> {
  return userMessage(
    `<environment_context>\n  <cwd>${cwd}</cwd>\n  <shell>bash</shell>\n</environment_context>`,
  );
}

/** A function call and its output, as Codex replays them. */
export function functionRound(
  callId: string,
  name: string,
  output: string,
): Record<string, unknown>[] {
  return [
    { type: "function_call", name, arguments: "{}", call_id: callId },
    { type: "function_call_output", call_id: callId, output },
  ];
}

/** The tools Codex offers for `gpt-5.5` (names and kinds as recorded from the 0.163 CLI). */
export const GPT_55_TOOLS = [
  { type: "function", name: "exec_command" },
  { type: "function", name: "write_stdin" },
  { type: "function", name: "update_plan" },
  { type: "custom", name: "apply_patch" },
  { type: "function", name: "view_image" },
];

/** A request body with the given input items and tools. */
export function responsesBody(
  input: Record<string, unknown>[],
  options: { tools?: Record<string, unknown>[]; schema?: Record<string, unknown> } = {},
): Record<string, unknown> {
  return {
    model: "gpt-5.5",
    stream: true,
    input: [
      {
        type: "message",
        role: "developer",
        content: [{ type: "input_text", text: "You are Codex." }],
      },
      ...input,
    ],
    tools: options.tools ?? GPT_55_TOOLS,
    ...(options.schema === undefined
      ? {}
      : {
          text: {
            format: {
              type: "json_schema",
              name: "codex_output_schema",
              strict: true,
              schema: options.schema,
            },
          },
        }),
  };
}

/** One parsed server-sent event. */
export interface ParsedSse {
  event: string;
  data: Record<string, unknown>;
}

/** Parses an SSE body into its events. */
export function parseSse(text: string): ParsedSse[] {
  return text
    .split("\n\n")
    .filter((block) => block.trim().length > 0)
    .map((block) => {
      const lines = block.split("\n");
      const event = lines.find((line) => line.startsWith("event: "))?.slice(7) ?? "";
      const data = lines.find((line) => line.startsWith("data: "))?.slice(6) ?? "{}";
      return { event, data: JSON.parse(data) as Record<string, unknown> };
    });
}
