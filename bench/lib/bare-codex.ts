import { Codex, type Thread, type TurnOptions } from "@openai/codex-sdk";
import { AnalysisSchema } from "../../shared/analysis.js";
import {
  buildCodexConfig,
  buildCodexEnv,
  buildThreadOptions,
} from "../../server/adapters/codex/codex-config.js";
import { toStrictJsonSchema } from "../../server/adapters/codex/output-schema.js";
import { SCRIPTED_MODEL_NAME } from "../../server/sandbox/scripted-model/index.js";

/** What a bare SDK run of the two fix turns took. */
export interface BareRun {
  /** Both `thread.run()` calls, end to end (Codex start included). */
  wallMs: number;
  /** From `runStreamed()` to Codex's first event: the floor of any start. */
  firstEventMs: number;
  /** Per turn: from `turn.completed` to the CLI's exit (the end of `run()`). */
  exitAfterCompletedMs: number[];
}

/**
 * The floor of a task: the same two scripted turns a fix plays (analysis with its output
 * schema, then the implementation), run with the SDK directly in `workingDirectory`, with
 * nothing of Patchboard around them.
 */
export async function bareFixRun(options: {
  modelUrl: string;
  codexHome: string;
  workingDirectory: string;
  ticketKey: string;
}): Promise<BareRun> {
  const codex = new Codex({
    env: buildCodexEnv("sk-bench-not-a-real-key", options.codexHome),
    config: buildCodexConfig(options.modelUrl),
  });
  const threadOptions = buildThreadOptions(
    "workspace-write",
    options.workingDirectory,
    SCRIPTED_MODEL_NAME,
  );
  const started = performance.now();
  const thread = codex.startThread(threadOptions);
  const first = await streamTurn(
    thread,
    `Fix ${options.ticketKey}.\nStep 1 of 2 — analyze only; do not change any file yet.`,
    { outputSchema: toStrictJsonSchema(AnalysisSchema) },
  );
  const second = await streamTurn(
    thread,
    "Step 2 of 2 — implement the fix you planned.\nRun npm test.",
    {},
  );
  if (!second.finalResponse.includes("passes")) {
    throw new Error(`bare turn 2 did not fix the bug: ${second.finalResponse}`);
  }
  return {
    wallMs: performance.now() - started,
    firstEventMs: first.firstEventAt - started,
    exitAfterCompletedMs: [first, second].map((t) => t.endedAt - t.completedAt),
  };
}

/** One turn, streamed: when its first event, its `turn.completed` and the CLI's exit came. */
async function streamTurn(
  thread: Thread,
  prompt: string,
  turnOptions: TurnOptions,
): Promise<{ firstEventAt: number; completedAt: number; endedAt: number; finalResponse: string }> {
  const { events } = await thread.runStreamed(prompt, turnOptions);
  let firstEventAt = Number.NaN;
  let completedAt = Number.NaN;
  let finalResponse = "";
  for await (const event of events) {
    if (Number.isNaN(firstEventAt)) firstEventAt = performance.now();
    if (event.type === "turn.failed") throw new Error(`bare turn failed: ${event.error.message}`);
    if (event.type === "item.completed" && event.item.type === "agent_message") {
      finalResponse = event.item.text;
    }
    if (event.type === "turn.completed") completedAt = performance.now();
  }
  // The stream ends when the CLI has exited: after turn.completed it still saves the thread.
  return { firstEventAt, completedAt, endedAt: performance.now(), finalResponse };
}
