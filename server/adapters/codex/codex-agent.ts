import { mkdirSync } from "node:fs";
import { Codex } from "@openai/codex-sdk";
import type { Logger } from "pino";
import type { Usage } from "../../../shared/agent-event.js";
import type {
  AgentTurnRequest,
  AgentTurnResult,
  CodingAgent,
} from "../../domain/ports/coding-agent.js";
import { AppError } from "../../domain/app-error.js";
import {
  buildCodexConfig,
  buildCodexEnv,
  buildThreadOptions,
  isUnderTempDir,
} from "./codex-config.js";
import type { CodexProviderTuning } from "./codex-config.js";
import { toCodexAppError } from "./error-classifier.js";
import { toAgentEvent } from "./event-mapper.js";
import { reapOrphanedCommands } from "./orphan-reaper.js";
import { toStrictJsonSchema } from "./output-schema.js";

/** Options of {@link createCodexAgent}. */
export interface CodexAgentOptions {
  /** Sent to the model API; empty to rely on `codex login` credentials in CODEX_HOME. */
  apiKey: string;
  /** A Responses API base URL (e.g. the scripted model's); null for OpenAI. */
  baseUrl: string | null;
  /** The model; null for Codex's default. */
  model: string | null;
  /** Codex's state directory (sessions, logs). Must not be under /tmp. Created if missing. */
  codexHome: string;
  logger: Logger;
  /** A Codex binary to run instead of the one bundled with the SDK. */
  codexPathOverride?: string;
  /** Retry and timeout tuning of the custom provider (tests keep these small). */
  providerTuning?: CodexProviderTuning;
}

/** Thrown by `onEvent`; kept apart so a failing event handler is not mistaken for a Codex error. */
class HandlerError extends Error {
  constructor(readonly error: unknown) {
    super("onEvent failed");
  }
}

function abortReason(signal: AbortSignal, fallback: unknown): unknown {
  // The caller aborts with an AppError (cancelled, deadline) and expects to see it again.
  return signal.reason instanceof Error ? signal.reason : fallback;
}

/**
 * The Codex coding agent: runs each turn with the Codex CLI through `@openai/codex-sdk`,
 * streaming its events as the shared `AgentEvent`s. This is the only module that talks to
 * the SDK.
 */
export function createCodexAgent(options: CodexAgentOptions): CodingAgent {
  if (isUnderTempDir(options.codexHome)) {
    throw new Error(
      `CODEX_HOME must not be under a temporary directory (got ${options.codexHome}): Codex cannot set up its tools there`,
    );
  }
  mkdirSync(options.codexHome, { recursive: true });
  const codex = new Codex({
    env: buildCodexEnv(options.apiKey, options.codexHome),
    config: buildCodexConfig(options.baseUrl, options.providerTuning),
    ...(options.codexPathOverride === undefined
      ? {}
      : { codexPathOverride: options.codexPathOverride }),
  });
  const logger = options.logger;

  async function runTurn(request: AgentTurnRequest): Promise<AgentTurnResult> {
    const { signal } = request;
    if (signal.aborted) throw abortReason(signal, new Error("The turn was aborted"));
    const threadOptions = buildThreadOptions(
      request.sandbox,
      request.workingDirectory,
      options.model,
    );
    const thread =
      request.threadId === null
        ? codex.startThread(threadOptions)
        : codex.resumeThread(request.threadId, threadOptions);
    logger.info(
      {
        threadId: request.threadId,
        sandbox: request.sandbox,
        structured: request.outputSchema !== undefined,
      },
      "codex turn starting",
    );

    let threadId = request.threadId;
    let finalResponse = "";
    let usage: Usage | null = null;
    let turnFailedMessage: string | null = null;
    const errorMessages: string[] = [];
    let thrown: unknown = undefined;

    try {
      const { events } = await thread.runStreamed(request.prompt, {
        ...(request.outputSchema === undefined
          ? {}
          : { outputSchema: toStrictJsonSchema(request.outputSchema) }),
        signal,
      });
      for await (const event of events) {
        if (event.type === "thread.started") threadId = event.thread_id;
        else if (event.type === "item.completed" && event.item.type === "agent_message") {
          finalResponse = event.item.text;
        } else if (event.type === "turn.failed") turnFailedMessage = event.error.message;
        else if (event.type === "error") errorMessages.push(event.message);
        const mapped = toAgentEvent(event, request.workingDirectory);
        if (mapped === null) {
          logger.debug({ eventType: event.type }, "codex event dropped");
        } else {
          try {
            await request.onEvent(mapped);
          } catch (error) {
            throw new HandlerError(error);
          }
        }
        if (event.type === "turn.completed")
          usage = mapped?.type === "turn.completed" ? mapped.usage : null;
        // After turn.failed the CLI only exits non-zero; stop here and report the failure itself.
        if (event.type === "turn.failed") break;
      }
    } catch (error) {
      // The CLI was stopped or failed: make sure none of its commands outlive it.
      reapOrphanedCommands(request.workingDirectory, logger);
      if (error instanceof HandlerError) throw error.error;
      thrown = error;
    }

    if (signal.aborted) {
      if (thrown === undefined) reapOrphanedCommands(request.workingDirectory, logger);
      logger.info({ threadId }, "codex turn aborted");
      throw abortReason(signal, thrown ?? new Error("The turn was aborted"));
    }
    if (thrown !== undefined || turnFailedMessage !== null || usage === null) {
      const appError = toCodexAppError({ turnFailedMessage, errorMessages, thrown });
      logger.warn({ threadId, code: appError.code, err: appError.cause }, "codex turn failed");
      throw appError;
    }
    if (threadId === null) {
      throw new AppError("codex_failed", "Codex failed: it did not report a thread id");
    }
    logger.info({ threadId, usage }, "codex turn completed");
    return { threadId, finalResponse, usage };
  }

  return { runTurn };
}
