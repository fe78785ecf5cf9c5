import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { AnalysisSchema } from "../../shared/analysis.js";
import { AppError } from "../../server/domain/app-error.js";
import {
  CODEX_AUTH_MESSAGE,
  createCodexAgent,
  toStrictJsonSchema,
} from "../../server/adapters/codex/index.js";
import {
  buildCodexConfig,
  buildCodexEnv,
  buildThreadOptions,
  isUnderTempDir,
} from "../../server/adapters/codex/codex-config.js";
import {
  classifyCodexMessage,
  toCodexAppError,
} from "../../server/adapters/codex/error-classifier.js";
import { toAgentEvent } from "../../server/adapters/codex/event-mapper.js";
import { silentLogger } from "../support/codex-fixtures.js";

// The adapter's pure parts, without the Codex binary.

describe("toStrictJsonSchema", () => {
  it("makes every property required, forbids extras and drops $schema", () => {
    const schema = toStrictJsonSchema(
      z.object({
        a: z.string().optional(),
        b: z.object({ c: z.number() }).nullable(),
        d: z.array(z.object({ e: z.string() })),
      }),
    );
    expect(schema).not.toHaveProperty("$schema");
    expect(schema).toMatchObject({
      type: "object",
      required: ["a", "b", "d"],
      additionalProperties: false,
      properties: {
        b: {
          anyOf: [
            { type: "object", required: ["c"], additionalProperties: false },
            { type: "null" },
          ],
        },
        d: { items: { required: ["e"], additionalProperties: false } },
      },
    });
  });

  it("keeps the analysis schema's descriptions and nullable field", () => {
    const schema = toStrictJsonSchema(AnalysisSchema);
    expect(schema.required).toEqual([
      "fixable",
      "rootCause",
      "plan",
      "files",
      "confidence",
      "notFixableReason",
    ]);
    expect(schema.properties).toMatchObject({ notFixableReason: { type: ["string", "null"] } });
  });
});

describe("toAgentEvent", () => {
  it("maps thread, turn and usage events to camelCase", () => {
    expect(toAgentEvent({ type: "thread.started", thread_id: "t1" })).toEqual({
      type: "thread.started",
      threadId: "t1",
    });
    expect(
      toAgentEvent({
        type: "turn.completed",
        usage: {
          input_tokens: 5,
          cached_input_tokens: 2,
          cache_write_input_tokens: 0,
          output_tokens: 3,
          reasoning_output_tokens: 1,
        },
      }),
    ).toEqual({
      type: "turn.completed",
      usage: { inputTokens: 5, cachedInputTokens: 2, outputTokens: 3 },
    });
    expect(toAgentEvent({ type: "turn.failed", error: { message: "x" } })).toEqual({
      type: "turn.failed",
      message: "x",
    });
    expect(toAgentEvent({ type: "error", message: "Reconnecting... 1/2" })).toEqual({
      type: "error",
      message: "Reconnecting... 1/2",
    });
  });

  it("drops a null exit code, strips extra fields and drops unknown item kinds", () => {
    const running = toAgentEvent({
      type: "item.started",
      item: {
        id: "i",
        type: "command_execution",
        command: "ls",
        aggregated_output: "",
        exit_code: null,
        status: "in_progress",
      } as never,
    });
    expect(running).toEqual({
      type: "item.started",
      item: {
        id: "i",
        type: "command_execution",
        command: "ls",
        aggregated_output: "",
        status: "in_progress",
      },
    });
    const mcp = toAgentEvent({
      type: "item.completed",
      item: {
        id: "m",
        type: "mcp_tool_call",
        server: "s",
        tool: "t",
        arguments: { secret: 1 },
        status: "completed",
      },
    });
    expect(mcp).toEqual({
      type: "item.completed",
      item: { id: "m", type: "mcp_tool_call", server: "s", tool: "t", status: "completed" },
    });
    expect(
      toAgentEvent({
        type: "item.completed",
        item: { id: "x", type: "collab_tool_call" } as never,
      }),
    ).toBeNull();
    expect(toAgentEvent({ type: "something.new" } as never)).toBeNull();
  });
});

describe("error classification", () => {
  it.each([
    ["unexpected status 401 Unauthorized: Incorrect API key provided", "codex_auth"],
    ["Missing environment variable: `CODEX_API_KEY`.", "codex_auth"],
    ["exceeded retry limit, last status: 429 Too Many Requests", "codex_rate_limited"],
    [
      "We’re currently experiencing high demand, which may cause temporary errors.",
      "codex_unavailable",
    ],
    ["stream disconnected before completion: idle timeout waiting for SSE", "codex_unavailable"],
    ["Connection failed: error sending request", "codex_unavailable"],
    ["The model produced invalid output", "codex_failed"],
  ])("classifies %s", (text, code) => {
    expect(classifyCodexMessage(text)).toBe(code);
  });

  it("prefers the most specific source and keeps the cause", () => {
    const thrown = new Error(
      "Codex Exec exited with code 1: Reading additional input from stdin...",
    );
    const error = toCodexAppError({
      turnFailedMessage: "unexpected status 401 Unauthorized",
      errorMessages: [],
      thrown,
    });
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "codex_auth", message: CODEX_AUTH_MESSAGE, cause: thrown });
    const failed = toCodexAppError({
      turnFailedMessage: null,
      errorMessages: [],
      thrown: undefined,
    });
    expect(failed).toMatchObject({
      code: "codex_failed",
      message: "Codex failed: the turn ended without completing",
    });
  });
});

describe("Codex configuration", () => {
  it("points a custom provider at the base URL with the key from CODEX_API_KEY", () => {
    const config = buildCodexConfig("http://127.0.0.1:1/v1", {
      requestMaxRetries: 1,
      streamMaxRetries: 2,
      streamIdleTimeoutMs: 3,
    });
    expect(config).toMatchObject({
      model_provider: "patchboard",
      model_providers: {
        patchboard: {
          base_url: "http://127.0.0.1:1/v1",
          wire_api: "responses",
          env_key: "CODEX_API_KEY",
          supports_websockets: false,
          request_max_retries: 1,
          stream_max_retries: 2,
          stream_idle_timeout_ms: 3,
        },
      },
      shell_environment_policy: {
        ignore_default_excludes: false,
        exclude: expect.arrayContaining(["CODEX_API_KEY", "*TOKEN*"]) as string[],
      },
      features: {
        unbounded_connection_retries: false,
        plugins: false,
        remote_plugin: false,
        apps: false,
      },
    });
    expect(buildCodexConfig(null)).not.toHaveProperty("model_provider");
  });

  it("passes Codex a minimal environment", () => {
    const env = buildCodexEnv("sk-1", "/home/x/.codex", {
      PATH: "/bin",
      HOME: "/home/x",
      GITHUB_TOKEN: "t",
      TMPDIR: "/var/tmp",
    });
    expect(env).toEqual({
      PATH: "/bin",
      HOME: "/home/x",
      CODEX_HOME: "/home/x/.codex",
      LANG: "C.UTF-8",
      TMPDIR: "/var/tmp",
      CODEX_API_KEY: "sk-1",
    });
    expect(buildCodexEnv("", "/h", { PATH: "/bin", HOME: "/h" })).not.toHaveProperty(
      "CODEX_API_KEY",
    );
  });

  it("sends the safety options with every turn", () => {
    expect(buildThreadOptions("read-only", "/w", "gpt-5.5")).toEqual({
      sandboxMode: "read-only",
      workingDirectory: "/w",
      skipGitRepoCheck: true,
      networkAccessEnabled: false,
      approvalPolicy: "never",
      webSearchMode: "disabled",
      model: "gpt-5.5",
    });
    expect(buildThreadOptions("workspace-write", "/w", null)).not.toHaveProperty("model");
  });

  it("refuses a CODEX_HOME under /tmp", () => {
    expect(isUnderTempDir(path.join(os.tmpdir(), "codex"))).toBe(true);
    expect(isUnderTempDir("/tmpfoo/codex")).toBe(false);
    expect(() =>
      createCodexAgent({
        apiKey: "k",
        baseUrl: null,
        model: null,
        codexHome: "/tmp/codex-home",
        logger: silentLogger,
      }),
    ).toThrow(/must not be under a temporary directory/);
  });
});

describe("file change paths", () => {
  it("are made relative to the worktree, and left alone outside it", async () => {
    const { toAgentEvent } = await import("../../server/adapters/codex/event-mapper.js");
    const event = toAgentEvent(
      {
        type: "item.completed",
        item: {
          id: "f1",
          type: "file_change",
          status: "completed",
          changes: [
            { path: "/data/worktrees/t1/src/a.js", kind: "update" },
            { path: "/elsewhere/b.js", kind: "add" },
            { path: "src/c.js", kind: "delete" },
          ],
        },
      },
      "/data/worktrees/t1",
    );
    expect(
      event?.type === "item.completed" &&
        event.item.type === "file_change" &&
        event.item.changes.map((c) => c.path),
    ).toEqual(["src/a.js", "/elsewhere/b.js", "src/c.js"]);
  });
});
