import type { ZodType } from "zod";
import type { CommandItemSchema } from "../../../shared/agent-event.js";
import type { TaskEventInputSchema } from "../../../shared/task-event.js";
import type { z } from "zod";
import { AppError } from "../app-error.js";
import type { AgentTurnResult } from "../ports/coding-agent.js";
import { withRepoInstructions } from "./prompts.js";
import { recordEvent } from "./record-event.js";
import type { RunContext } from "./run-context.js";
import { updateRunning } from "./run-update.js";
import { saveTurnCheckpoint } from "./turn-checkpoint.js";

type TurnKind = Extract<
  z.infer<typeof TaskEventInputSchema>,
  { type: "task.turn" }
>["payload"]["kind"];
type CommandItem = z.infer<typeof CommandItemSchema>;

/** The result of one turn, with the commands the agent ran in it. */
export interface TurnOutcome extends AgentTurnResult {
  commands: CommandItem[];
}

/**
 * Runs one agent turn on the task's thread: records the prompt, stores every agent event
 * before it is streamed, keeps the thread id and token usage on the task, and enforces
 * the turn's deadline and idle watchdog (both end the turn with `codex_timeout`). A
 * completed turn is checkpointed (turn-checkpoint.ts).
 */
export async function runAgentTurn(
  ctx: RunContext,
  turn: {
    kind: TurnKind;
    prompt: string;
    requestedBy: string | null;
    outputSchema?: ZodType;
    /** `read-only` for a turn that must not change anything (the analysis); writes otherwise. */
    sandbox?: "read-only" | "workspace-write";
  },
): Promise<TurnOutcome> {
  const { deps } = ctx;
  // Cancelled between steps: do not start a turn only to abort it.
  if (ctx.signal.aborted) throw ctx.signal.reason;
  // The repository's instructions go with every turn; the event keeps exactly what was sent.
  const prompt = withRepoInstructions(turn.prompt, ctx.repo.instructions ?? null);
  const turnEvent = await recordEvent(deps, ctx.task.id, {
    type: "task.turn",
    payload: { kind: turn.kind, prompt, requestedBy: turn.requestedBy },
  });
  const watchdog = new AbortController();
  const deadline = setTimeout(() => {
    watchdog.abort(
      new AppError(
        "codex_timeout",
        `The agent's turn took longer than ${Math.round(deps.settings.turnTimeoutMs / 1000)} s and was stopped`,
      ),
    );
  }, deps.settings.turnTimeoutMs);
  let idle: NodeJS.Timeout | undefined;
  const armIdle = (): void => {
    clearTimeout(idle);
    idle = setTimeout(() => {
      watchdog.abort(
        new AppError(
          "codex_timeout",
          `The agent sent nothing for ${Math.round(deps.settings.idleTimeoutMs / 1000)} s and was stopped`,
        ),
      );
    }, deps.settings.idleTimeoutMs);
  };
  armIdle();
  const commands: CommandItem[] = [];
  // A refusal left from an earlier run must not be taken for this turn's.
  deps.budgets?.takeRefusal(ctx.task.id);
  try {
    const result = await deps.agent.runTurn({
      taskId: ctx.task.id,
      threadId: ctx.task.threadId,
      workingDirectory: ctx.workspace.path,
      prompt,
      sandbox: turn.sandbox ?? "workspace-write",
      outputSchema: turn.outputSchema,
      signal: AbortSignal.any([ctx.signal, watchdog.signal]),
      onEvent: async (event) => {
        armIdle();
        if (event.type === "thread.started" && ctx.task.threadId !== event.threadId) {
          ctx.task = await updateRunning(deps, ctx.task.id, { threadId: event.threadId });
        }
        // Through the gateway, usage is recorded per model response as it happens.
        if (event.type === "turn.completed" && deps.budgets === undefined) {
          await deps.store.addUsage(ctx.task.id, event.usage);
        }
        if (event.type === "item.completed" && event.item.type === "command_execution") {
          commands.push(event.item);
        }
        await recordEvent(deps, ctx.task.id, { type: "agent", payload: event });
        ctx.agentStarted();
      },
    });
    if (ctx.task.threadId !== result.threadId) {
      ctx.task = await updateRunning(deps, ctx.task.id, { threadId: result.threadId });
    }
    // What another worker resumes from if this one dies before the next turn completes.
    await saveTurnCheckpoint(ctx, turnEvent.seq, result.threadId);
    return { ...result, commands };
  } catch (error) {
    // An abort surfaces as whatever the signal was aborted with (cancel or timeout).
    if (watchdog.signal.aborted) throw watchdog.signal.reason;
    if (ctx.signal.aborted) throw ctx.signal.reason;
    // The gateway refused a request on a budget: that, not Codex's wording of it, ends the task.
    throw deps.budgets?.takeRefusal(ctx.task.id) ?? error;
  } finally {
    clearTimeout(deadline);
    clearTimeout(idle);
  }
}
