/**
 * The scripted model: a fake OpenAI Responses API that drives the real Codex binary from
 * data-driven scripts, for the sandbox demo and for tests. Codex really runs the scripted
 * commands and applies the scripted patches in its working directory.
 *
 * @example
 * const model = await startScriptedModel({
 *   scripts: [
 *     {
 *       name: "calc-sum-bug",
 *       match: /CALC-7/, // tested against all prompts of the thread
 *       turns: [
 *         { match: /analy[sz]e/i, steps: [
 *           { kind: "shell", command: "cat src/sum.js", reasoning: "Reading the code." },
 *           { kind: "json", value: { fixable: true, rootCause: "…" } },
 *         ] },
 *         { match: /implement/i, steps: [
 *           { kind: "plan", items: [{ step: "Fix sum()", status: "in_progress" }] },
 *           { kind: "patch", patch: "*** Begin Patch\n*** Update File: src/sum.js\n…\n*** End Patch" },
 *           { kind: "shell", command: "npm test", delayMs: 500 },
 *           (ctx) => ({ kind: "message", text: ctx.toolOutputs.at(-1)?.exitCode === 0 ? "Fixed." : "Tests fail." }),
 *         ] },
 *       ],
 *     },
 *   ],
 * });
 * // Give Codex `baseUrl: model.url` and `model: SCRIPTED_MODEL_NAME`;
 * // `model.setFaults([{ kind: "http_error", status: 429, count: 2 }])` injects failures.
 */
export { startScriptedModel } from "./server.js";
export type { ScriptedModel, ScriptedModelOptions } from "./server.js";
export { SCRIPTED_MODEL_NAME, planResponse } from "./engine.js";
export type { ResponsePlan } from "./engine.js";
export { buildScriptContext, parseExitCode } from "./request-context.js";
export type {
  Fault,
  FaultSpec,
  Matcher,
  RecordedRequest,
  Script,
  ScriptContext,
  ScriptTurn,
  ScriptedUsage,
  Step,
  StepSpec,
  ToolOutput,
} from "./types.js";
