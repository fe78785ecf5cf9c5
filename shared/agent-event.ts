import { z } from "zod";

/**
 * What the Codex agent did, mirrored from the SDK's `ThreadEvent` so the browser can
 * render it without importing the SDK. Unknown item kinds are dropped by the adapter.
 */

/** A command the agent ran. */
export const CommandItemSchema = z.object({
  id: z.string(),
  type: z.literal("command_execution"),
  command: z.string(),
  aggregated_output: z.string(),
  exit_code: z.number().int().optional(),
  status: z.enum(["in_progress", "completed", "failed", "declined"]),
});

/** Files the agent changed with one patch. */
export const FileChangeItemSchema = z.object({
  id: z.string(),
  type: z.literal("file_change"),
  changes: z.array(z.object({ path: z.string(), kind: z.enum(["add", "delete", "update"]) })),
  status: z.enum(["in_progress", "completed", "failed", "declined"]),
});

/** A message from the agent (text, or JSON when structured output was asked for). */
export const AgentMessageItemSchema = z.object({
  id: z.string(),
  type: z.literal("agent_message"),
  text: z.string(),
});

/** A summary of the agent's reasoning. */
export const ReasoningItemSchema = z.object({
  id: z.string(),
  type: z.literal("reasoning"),
  text: z.string(),
});

/** The agent's to-do list. */
export const TodoListItemSchema = z.object({
  id: z.string(),
  type: z.literal("todo_list"),
  items: z.array(z.object({ text: z.string(), completed: z.boolean() })),
});

/** A call to an MCP tool. */
export const McpToolCallItemSchema = z.object({
  id: z.string(),
  type: z.literal("mcp_tool_call"),
  server: z.string(),
  tool: z.string(),
  status: z.enum(["in_progress", "completed", "failed"]),
  error: z.object({ message: z.string() }).optional(),
});

/** A web search by the agent. */
export const WebSearchItemSchema = z.object({
  id: z.string(),
  type: z.literal("web_search"),
  query: z.string(),
});

/** A non-fatal error the agent reported. */
export const ErrorItemSchema = z.object({
  id: z.string(),
  type: z.literal("error"),
  message: z.string(),
});

/** One thing the agent did. */
export const AgentItemSchema = z.discriminatedUnion("type", [
  CommandItemSchema,
  FileChangeItemSchema,
  AgentMessageItemSchema,
  ReasoningItemSchema,
  TodoListItemSchema,
  McpToolCallItemSchema,
  WebSearchItemSchema,
  ErrorItemSchema,
]);
/** One thing the agent did. */
export type AgentItem = z.infer<typeof AgentItemSchema>;

/** Token usage of one turn, or summed over a task. */
export const UsageSchema = z.object({
  inputTokens: z.number().int().nonnegative(),
  cachedInputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
});
/** Token usage. */
export type Usage = z.infer<typeof UsageSchema>;

/** No tokens used yet. */
export const ZERO_USAGE: Usage = { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 };

/** One event from the Codex agent's stream. */
export const AgentEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("thread.started"), threadId: z.string() }),
  z.object({ type: z.literal("turn.started") }),
  z.object({ type: z.literal("turn.completed"), usage: UsageSchema }),
  z.object({ type: z.literal("turn.failed"), message: z.string() }),
  z.object({ type: z.literal("item.started"), item: AgentItemSchema }),
  z.object({ type: z.literal("item.updated"), item: AgentItemSchema }),
  z.object({ type: z.literal("item.completed"), item: AgentItemSchema }),
  z.object({ type: z.literal("error"), message: z.string() }),
]);
/** One event from the Codex agent's stream. */
export type AgentEvent = z.infer<typeof AgentEventSchema>;
