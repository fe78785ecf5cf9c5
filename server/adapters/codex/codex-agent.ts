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
import { prepareTaskHomes, taskHomes } from "./task-homes.js";

/** Where one task's Codex CLI runs: what a {@link CodexLauncher} is asked for. */
export interface CodexLaunchSpec {
  /** A directory of the task's own that the CLI does not see (the launcher is written there). */
  dir: string;
  /** The task's worktree (read-write). */
  workdir: string;
  /** The task's home, Codex home, temporary directory and the repository's caches. */
  writable: string[];
}

/** How to start the CLI for one turn: the program the SDK runs, and PATH entries it needs. */
export interface CodexLaunch {
  codexPath: string;
  pathDirs: string[];
}

/**
 * Starts the Codex CLI inside an isolated namespace that sees only what the spec names
 * and the system's toolchain (see the isolation adapter). Absent: the CLI runs as a
 * plain child process of the server.
 */
export type CodexLauncher = (spec: CodexLaunchSpec) => Promise<CodexLaunch>;

/** Options of {@link createCodexAgent}. */
export interface CodexAgentOptions {
  /** Sent to the model API; empty to rely on `codex login` credentials in CODEX_HOME. */
  apiKey: string;
  /** A Responses API base URL (e.g. the scripted model's); null for OpenAI. */
  baseUrl: string | null;
  /** The model; null for Codex's default. */
  model: string | null;
  /**
   * Codex's shared state directory. Must not be under /tmp. Created if missing. With
   * `taskHomesRoot` it only lends its `codex login` and threads started before per-task
   * homes; otherwise every turn uses it.
   */
  codexHome: string;
  /**
   * Where each task gets its own HOME, CODEX_HOME and TMPDIR (`<root>/<taskId>/…`), so
   * parallel runs share no Codex state and an isolated agent sees no other task's
   * threads. Must not be under /tmp.
   */
  taskHomesRoot?: string;
  /** Runs the CLI in a namespace per turn (needs `taskHomesRoot`). */
  launcher?: CodexLauncher;
  logger: Logger;
  /** A Codex binary to run instead of the one bundled with the SDK. */
  codexPathOverride?: string;
  /** Retry and timeout tuning of the custom provider (tests keep these small). */
  providerTuning?: CodexProviderTuning;
  /**
   * The model gateway: when set, each turn's Codex talks to it with a token of the turn's
   * task, revoked when the turn ends, and never sees `apiKey`.
   */
  gateway?: CodexGatewayAccess;
}

/** Where a turn's Codex sends model requests, and the credential it sends. */
interface ModelAccess {
  apiKey: string;
  baseUrl: string | null;
}

/** What the Codex adapter needs of the model gateway. */
export interface CodexGatewayAccess {
  /** The gateway's Responses API root. */
  url: string;
  grant(taskId: string): { token: string; revoke(): void };
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
  for (const dir of [options.codexHome, options.taskHomesRoot]) {
    if (dir !== undefined && isUnderTempDir(dir)) {
      throw new Error(
        `CODEX_HOME must not be under a temporary directory (got ${dir}): Codex cannot set up its tools there`,
      );
    }
  }
  if (options.launcher !== undefined && options.taskHomesRoot === undefined) {
    throw new Error("An isolated Codex needs per-task homes (taskHomesRoot)");
  }
  mkdirSync(options.codexHome, { recursive: true });
  const pathOverride =
    options.codexPathOverride === undefined ? {} : { codexPathOverride: options.codexPathOverride };
  /** Straight to the model API with the key; with a gateway, each turn gets its task's token. */
  const direct: ModelAccess = { apiKey: options.apiKey, baseUrl: options.baseUrl };
  // Without per-task homes or a gateway every turn's Codex is the same: build it once.
  const sharedCodex =
    options.taskHomesRoot === undefined && options.gateway === undefined
      ? new Codex({
          env: buildCodexEnv(direct.apiKey, options.codexHome),
          config: buildCodexConfig(direct.baseUrl, options.providerTuning),
          ...pathOverride,
        })
      : null;
  const logger = options.logger;

  /** The Codex of one turn: the task's own homes, and its namespace when isolated. */
  async function codexFor(request: AgentTurnRequest, access: ModelAccess): Promise<Codex> {
    if (sharedCodex !== null) return sharedCodex;
    const config = buildCodexConfig(access.baseUrl, options.providerTuning);
    const root = options.taskHomesRoot;
    if (root === undefined) {
      const env = buildCodexEnv(access.apiKey, options.codexHome);
      return new Codex({ env, config, ...pathOverride });
    }
    const homes = taskHomes(root, request.taskId);
    await prepareTaskHomes(homes, {
      codexHome: options.codexHome,
      copyLogin: options.apiKey === "",
      threadId: request.threadId,
    });
    const env: Record<string, string> = {
      ...buildCodexEnv(access.apiKey, homes.codexHome),
      HOME: homes.home,
      TMPDIR: homes.tmp,
    };
    if (options.launcher === undefined) return new Codex({ env, config, ...pathOverride });
    const launch = await options.launcher({
      dir: homes.dir,
      workdir: request.workingDirectory,
      writable: [homes.home, homes.codexHome, homes.tmp, ...(request.cacheDirs ?? [])],
    });
    // The SDK adds the CLI's own tools (rg) to PATH only when it finds the CLI itself.
    env.PATH = [...launch.pathDirs, env.PATH ?? ""].join(":");
    return new Codex({ env, config, codexPathOverride: launch.codexPath });
  }

  async function runTurn(request: AgentTurnRequest): Promise<AgentTurnResult> {
    const { gateway } = options;
    if (gateway === undefined) return runTurnWith(request, direct);
    // The process gets its task's token in place of the key; the gateway holds the key.
    const grant = gateway.grant(request.taskId);
    try {
      return await runTurnWith(request, { apiKey: grant.token, baseUrl: gateway.url });
    } finally {
      grant.revoke();
    }
  }

  async function runTurnWith(
    request: AgentTurnRequest,
    access: ModelAccess,
  ): Promise<AgentTurnResult> {
    const { signal } = request;
    if (signal.aborted) throw abortReason(signal, new Error("The turn was aborted"));
    const threadOptions = buildThreadOptions(
      request.sandbox,
      request.workingDirectory,
      options.model,
    );
    const codex = await codexFor(request, access);
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
