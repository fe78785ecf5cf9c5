import type { AgentEvent } from "../../../shared/agent-event.js";
import type {
  AgentTurnRequest,
  AgentTurnResult,
  CodingAgent,
} from "../../../server/domain/ports/coding-agent.js";

/** What the fake agent does in one turn. */
export interface FakeTurn {
  /** Commands it "runs", with exit codes. */
  commands?: { command: string; exitCode: number; output?: string }[];
  /** Files it "writes" (through the callback given to the agent). */
  writes?: Record<string, string>;
  final?: string;
  /** Waits for the abort signal instead of finishing. */
  hang?: boolean;
  /** Finishes only once this settles (the test decides when the turn ends). */
  gate?: Promise<void>;
  /** Throws this instead of finishing. */
  error?: Error;
}

/**
 * A CodingAgent for domain unit tests: plays scripted turns in order, emitting the same
 * kinds of events the Codex adapter does. Records every request it got.
 */
export class FakeAgent implements CodingAgent {
  readonly requests: AgentTurnRequest[] = [];
  readonly turns: FakeTurn[] = [];
  /** Called after each completed turn (the harness records the thread's rollout). */
  onTurn?: (taskId: string, threadId: string, prompt: string) => void;
  #threads = 0;

  constructor(private readonly writeFile: (cwd: string, file: string, content: string) => void) {}

  /** Queues the next turns. */
  script(...turns: FakeTurn[]): this {
    this.turns.push(...turns);
    return this;
  }

  async runTurn(request: AgentTurnRequest): Promise<AgentTurnResult> {
    this.requests.push(request);
    const turn = this.turns.shift();
    if (turn === undefined) throw new Error("FakeAgent: no scripted turn left");
    const threadId = request.threadId ?? `thread-${++this.#threads}`;
    const emit = (event: AgentEvent) => request.onEvent(event);
    if (request.threadId === null) await emit({ type: "thread.started", threadId });
    await emit({ type: "turn.started" });
    for (const [i, c] of (turn.commands ?? []).entries()) {
      await emit({
        type: "item.completed",
        item: {
          id: `cmd-${i}`,
          type: "command_execution",
          command: c.command,
          aggregated_output: c.output ?? "",
          exit_code: c.exitCode,
          status: c.exitCode === 0 ? "completed" : "failed",
        },
      });
    }
    for (const [file, content] of Object.entries(turn.writes ?? {})) {
      this.writeFile(request.workingDirectory, file, content);
    }
    if (turn.hang) {
      await new Promise<void>((_resolve, reject) => {
        if (request.signal.aborted) reject(request.signal.reason as Error);
        request.signal.addEventListener("abort", () => reject(request.signal.reason as Error), {
          once: true,
        });
      });
    }
    if (turn.gate) await turn.gate;
    if (turn.error) throw turn.error;
    const final = turn.final ?? "";
    await emit({
      type: "item.completed",
      item: { id: "msg", type: "agent_message", text: final },
    });
    const usage = { inputTokens: 100, cachedInputTokens: 10, outputTokens: 20 };
    await emit({ type: "turn.completed", usage });
    this.onTurn?.(request.taskId, threadId, request.prompt);
    return { threadId, finalResponse: final, usage };
  }
}
