import path from "node:path";
import type { ThreadEvent, ThreadItem } from "@openai/codex-sdk";
import { AgentEventSchema } from "../../../shared/agent-event.js";
import type { AgentEvent } from "../../../shared/agent-event.js";

/**
 * Maps the SDK's `ThreadEvent`s to the shared `AgentEvent` contract. Anything the
 * contract does not know (new item kinds, odd shapes) is dropped rather than passed on,
 * since the browser validates what it receives against the same schema.
 */

/** Shapes an SDK item towards the contract; the schema then strips what it does not list. */
function normalizeItem(item: ThreadItem, cwd: string | null): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...item };
  // Codex reports changed files by absolute path; people (and the browser) want them
  // relative to the repository, and the server's folders are nobody else's business.
  if (item.type === "file_change" && cwd !== null) {
    copy.changes = item.changes.map((change) => ({
      ...change,
      path: relativeTo(cwd, change.path),
    }));
  }
  // The CLI sends `exit_code: null` while a command runs; the contract leaves it out instead.
  if (copy.type === "command_execution" && copy.exit_code === null) delete copy.exit_code;
  if (copy.type === "mcp_tool_call" && copy.error == null) delete copy.error;
  return copy;
}

function relativeTo(cwd: string, file: string): string {
  if (!path.isAbsolute(file)) return file;
  const relative = path.relative(cwd, file);
  return relative.startsWith("..") ? file : relative;
}

function candidate(event: ThreadEvent, cwd: string | null): unknown {
  switch (event.type) {
    case "thread.started":
      return { type: event.type, threadId: event.thread_id };
    case "turn.started":
      return { type: event.type };
    case "turn.completed":
      return {
        type: event.type,
        usage: {
          inputTokens: event.usage.input_tokens,
          cachedInputTokens: event.usage.cached_input_tokens,
          outputTokens: event.usage.output_tokens,
        },
      };
    case "turn.failed":
      return { type: event.type, message: event.error.message };
    case "item.started":
    case "item.updated":
    case "item.completed":
      return { type: event.type, item: normalizeItem(event.item, cwd) };
    case "error":
      return { type: event.type, message: event.message };
    default:
      return null;
  }
}

/**
 * The contract event for an SDK event, or null when it has no place in the contract.
 * File paths inside `cwd` (the worktree) become relative to it.
 */
export function toAgentEvent(event: ThreadEvent, cwd: string | null = null): AgentEvent | null {
  const parsed = AgentEventSchema.safeParse(candidate(event, cwd));
  return parsed.success ? parsed.data : null;
}
