import type { ZodType } from "zod";
import type { AgentEvent, Usage } from "../../../shared/agent-event.js";

/** One turn for the agent. */
export interface AgentTurnRequest {
  /** The task (or review run) the turn belongs to. */
  taskId: string;
  /** Null starts a new thread; otherwise the thread is resumed. */
  threadId: string | null;
  workingDirectory: string;
  prompt: string;
  /** `read-only` for reviews; `workspace-write` for fixes. */
  sandbox: "read-only" | "workspace-write";
  /**
   * The shape of the final message, when structured output is wanted; the adapter turns
   * it into the strict JSON Schema the model API needs.
   */
  outputSchema?: ZodType | undefined;
  /**
   * Directories besides the worktree the agent's commands may write (the repository's
   * caches); an isolating adapter mounts them, and nothing else of the host.
   */
  cacheDirs?: readonly string[] | undefined;
  /** Aborts the turn (cancel, deadline). */
  signal: AbortSignal;
  /** Called for every event, in order; the turn waits for it (events are stored before they are streamed). */
  onEvent: (event: AgentEvent) => Promise<void>;
}

/** The result of a completed turn. */
export interface AgentTurnResult {
  threadId: string;
  finalResponse: string;
  usage: Usage;
}

/**
 * The coding agent (Codex). A failed turn throws AppError with `codex_auth`,
 * `codex_rate_limited`, `codex_timeout`, `codex_unavailable` or `codex_failed`.
 */
export interface CodingAgent {
  runTurn(request: AgentTurnRequest): Promise<AgentTurnResult>;
}
