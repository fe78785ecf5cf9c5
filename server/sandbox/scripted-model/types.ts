/**
 * Types of the scripted model: a fake OpenAI Responses API that drives the real Codex
 * binary from data-driven scripts instead of a language model.
 */

/** A tool output Codex sent back, i.e. the result of one earlier step of this turn. */
export interface ToolOutput {
  callId: string;
  /** The tool that was called (`exec_command`, `apply_patch`, `update_plan`…), when known. */
  name: string | null;
  /** The text Codex returned to the model. */
  output: string;
  /** The process exit code parsed from the output (`Process exited with code N`, `Exit code: N`). */
  exitCode: number | null;
}

/** What a script can see of one request. Everything is derived from the request body. */
export interface ScriptContext {
  /** The model name Codex asked for. */
  model: string;
  /** Texts of the real user messages (prompts), oldest first; Codex's own context messages are left out. */
  userMessages: string[];
  /** The first prompt of the thread (where the ticket key usually is). */
  firstUserMessage: string;
  /** The prompt of the current turn. */
  latestUserMessage: string;
  /** Outputs of the tool calls made since the latest prompt, oldest first. */
  toolOutputs: ToolOutput[];
  /** Which step of the turn this request asks for: the number of tool outputs since the latest prompt. */
  stepIndex: number;
  /** The JSON Schema the final message must follow (`text.format`), or null. */
  outputSchema: Record<string, unknown> | null;
  /** Names of the tools Codex offered, including namespaced ones. */
  toolNames: string[];
  /** The tools Codex offered with their kinds (`function`, `custom`…). */
  tools: { name: string; type: string }[];
  /** The working directory Codex reported in its environment context, or null. */
  cwd: string | null;
}

/** Token counts reported in `response.completed`. */
export interface ScriptedUsage {
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
}

/** What every step may carry besides its action. */
export interface StepCommon {
  /** A reasoning summary emitted before the step's item. */
  reasoning?: string;
  /** Waits this long after `response.created` before emitting the step (pacing for demos). */
  delayMs?: number;
  /** Overrides the usage reported for this response (otherwise derived from sizes). */
  usage?: Partial<ScriptedUsage>;
}

/** Run a shell command through Codex's shell tool. */
export interface ShellStep extends StepCommon {
  kind: "shell";
  command: string;
  /** Working directory for the command; defaults to the turn's. */
  workdir?: string;
}

/** Edit files with Codex's `apply_patch` tool, in Codex's patch format (`*** Begin Patch` …). */
export interface PatchStep extends StepCommon {
  kind: "patch";
  patch: string;
}

/** Publish a to-do list with `update_plan` (needs `tools.update_plan.enabled` in the Codex config). */
export interface PlanStep extends StepCommon {
  kind: "plan";
  explanation?: string;
  items: { step: string; status: "pending" | "in_progress" | "completed" }[];
}

/** End the turn with a text message. */
export interface MessageStep extends StepCommon {
  kind: "message";
  text: string;
}

/** End the turn with a structured output (serialized as the message text). */
export interface JsonStep extends StepCommon {
  kind: "json";
  value: unknown;
}

/** One concrete action of the model. */
export type StepSpec = ShellStep | PatchStep | PlanStep | MessageStep | JsonStep;

/** A step, or a function that decides the step from the request (e.g. from a test run's exit code). */
export type Step = StepSpec | ((ctx: ScriptContext) => StepSpec);

/** A condition on a request: a regular expression on the relevant text, or a predicate. */
export type Matcher = RegExp | ((ctx: ScriptContext) => boolean);

/** One turn of a script: chosen by the latest prompt, then played step by step. */
export interface ScriptTurn {
  /** Tested against the latest prompt (RegExp) or the whole context (function). */
  match: Matcher;
  steps: Step[];
}

/** A scenario: chosen by its `match`, then by the first of its turns that matches. */
export interface Script {
  name: string;
  /** Tested against all prompts of the thread joined by newlines (RegExp) or the context. */
  match: Matcher;
  turns: ScriptTurn[];
}

/** A failure injected instead of (or into) a normal answer. */
export type FaultSpec =
  | {
      kind: "http_error";
      status: number;
      /** Sent as `Retry-After` (seconds). */
      retryAfterSeconds?: number;
      /** The error message in the JSON body. */
      message?: string;
      /** The OpenAI error code in the JSON body (e.g. `rate_limit_exceeded`). */
      code?: string;
    }
  | {
      /** Sends `response.created`, then says nothing for `stallMs`, then answers normally. */
      kind: "stall";
      stallMs: number;
    }
  | {
      /** Sends `response.created`, then destroys the connection. */
      kind: "drop";
    }
  | {
      /** Sends a `response.failed` SSE event with this error. */
      kind: "response_failed";
      code?: string;
      message?: string;
    };

/** A fault applied to the next `count` matching requests. */
export type Fault = FaultSpec & {
  /** How many requests it affects (default 1; `Infinity` for all). */
  count?: number;
  /** Only requests for which this holds are affected (default: all). */
  when?: (ctx: ScriptContext) => boolean;
};

/** One request the scripted model received, for assertions. */
export interface RecordedRequest {
  at: string;
  method: string;
  path: string;
  /** Headers, with `authorization` redacted. */
  headers: Record<string, string>;
  /** The bearer token that was sent, or null. */
  bearerToken: string | null;
  /** The parsed JSON body, or null. */
  body: unknown;
  context: ScriptContext | null;
  script: string | null;
  turnIndex: number | null;
  stepIndex: number | null;
  /** The fault injected into this request, if any. */
  fault: FaultSpec["kind"] | null;
}
