import type { ZodType } from "zod";
import type { CommandItemSchema } from "../../../shared/agent-event.js";
import type { TaskEventInputSchema } from "../../../shared/task-event.js";
import type { z } from "zod";
import { AppError } from "../app-error.js";
import type { AgentTurnResult } from "../ports/coding-agent.js";
import { recordEvent } from "./record-event.js";
import type { RunContext } from "./run-context.js";

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
 * the turn's deadline and idle watchdog (both end the turn with `codex_timeout`).
 */
export async function runAgentTurn(
  ctx: RunContext,
  turn: { kind: TurnKind; prompt: string; requestedBy: string | null; outputSchema?: ZodType },
): Promise<TurnOutcome> {
  const { deps } = ctx;
  // Cancelled between steps: do not start a turn only to abort it.
  if (ctx.signal.aborted) throw ctx.signal.reason;
  await recordEvent(deps, ctx.task.id, {
    type: "task.turn",
    payload: { kind: turn.kind, prompt: turn.prompt, requestedBy: turn.requestedBy },
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
  try {
    const result = await deps.agent.runTurn({
      threadId: ctx.task.threadId,
      workingDirectory: ctx.workspace.path,
      prompt: turn.prompt,
      sandbox: "workspace-write",
      outputSchema: turn.outputSchema,
      signal: AbortSignal.any([ctx.signal, watchdog.signal]),
      onEvent: async (event) => {
        armIdle();
        if (event.type === "thread.started" && ctx.task.threadId !== event.threadId) {
          ctx.task = await deps.store.update(ctx.task.id, { threadId: event.threadId });
        }
        if (event.type === "turn.completed") {
          await deps.store.addUsage(ctx.task.id, event.usage);
        }
        if (event.type === "item.completed" && event.item.type === "command_execution") {
          commands.push(event.item);
        }
        await recordEvent(deps, ctx.task.id, { type: "agent", payload: event });
      },
    });
    if (ctx.task.threadId !== result.threadId) {
      ctx.task = await deps.store.update(ctx.task.id, { threadId: result.threadId });
    }
    return { ...result, commands };
  } catch (error) {
    // An abort surfaces as whatever the signal was aborted with (cancel or timeout).
    if (watchdog.signal.aborted) throw watchdog.signal.reason;
    if (ctx.signal.aborted) throw ctx.signal.reason;
    throw error;
  } finally {
    clearTimeout(deadline);
    clearTimeout(idle);
  }
}

/**
 * Whether the repository's test command passed in this turn, judged by the last time the
 * agent ran it; null when there is no test command or the agent never ran it. The server
 * does not run the tests itself: that would run the agent's code outside its sandbox.
 */
export function testsPassed(commands: CommandItem[], testCommand: string | null): boolean | null {
  if (testCommand === null) return null;
  const wanted = testCommand.replace(/\s+/g, " ").trim();
  const runs = commands.filter((c) => c.command.replace(/\s+/g, " ").includes(wanted));
  const last = runs.at(-1);
  if (last === undefined || last.exit_code === undefined) return null;
  return last.exit_code === 0;
}
