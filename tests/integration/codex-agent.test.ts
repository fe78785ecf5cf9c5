import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { AnalysisSchema } from "../../shared/analysis.js";
import { AppError } from "../../server/domain/app-error.js";
import type { CodingAgent } from "../../server/domain/ports/coding-agent.js";
import { CODEX_AUTH_MESSAGE, createCodexAgent } from "../../server/adapters/codex/index.js";
import {
  SCRIPTED_MODEL_NAME,
  startScriptedModel,
} from "../../server/sandbox/scripted-model/index.js";
import type { ScriptedModel } from "../../server/sandbox/scripted-model/index.js";
import {
  BUGGY_SUM,
  FIXED_SUM,
  completedCommands,
  makeBuggyRepo,
  makeCodexHome,
  processesWithArgs,
  removeDir,
  silentLogger,
  turnRequest,
} from "../support/codex-fixtures.js";
import { CALC_ANALYSIS, calcScript } from "../support/codex-scripts.js";

// The real Codex binary against the scripted model: commands really run, patches really apply.
const MODEL = SCRIPTED_MODEL_NAME;
const FAST = { requestMaxRetries: 0, streamMaxRetries: 0, streamIdleTimeoutMs: 10_000 };

describe("Codex adapter driving the real Codex CLI", () => {
  const apiKey = `sk-test-${randomUUID()}`;
  const githubToken = `secret-gh-${randomUUID()}`;
  const previousGithubToken = process.env.GITHUB_TOKEN;
  let model: ScriptedModel;
  let codexHome: string;
  let repo: string;
  let agent: CodingAgent;
  let threadId: string;

  beforeAll(async () => {
    // A secret in the server's own environment must not reach the agent's commands.
    process.env.GITHUB_TOKEN = githubToken;
    model = await startScriptedModel({ scripts: [calcScript] });
    codexHome = await makeCodexHome();
    repo = await makeBuggyRepo();
    agent = createCodexAgent({
      apiKey,
      baseUrl: model.url,
      model: MODEL,
      codexHome,
      logger: silentLogger,
      providerTuning: FAST,
    });
  });

  afterAll(async () => {
    if (previousGithubToken === undefined) delete process.env.GITHUB_TOKEN;
    else process.env.GITHUB_TOKEN = previousGithubToken;
    await model.close();
    await removeDir(codexHome);
    await removeDir(repo);
  });

  it("analyzes read-only and returns the structured analysis", async () => {
    const { request, events } = turnRequest({
      workingDirectory: repo,
      prompt: "Ticket CALC-7: sum is wrong. Analyze the bug and answer with the analysis JSON.",
      sandbox: "read-only",
      outputSchema: AnalysisSchema,
    });
    const result = await agent.runTurn(request);

    threadId = result.threadId;
    expect(threadId).toMatch(/\S/);
    expect(AnalysisSchema.parse(JSON.parse(result.finalResponse))).toEqual(CALC_ANALYSIS);
    expect(events[0]).toEqual({ type: "thread.started", threadId });
    expect(completedCommands(events)).toEqual([
      expect.objectContaining({ output: expect.stringContaining("a - b") as string, exitCode: 0 }),
    ]);
    expect(events.some((e) => e.type === "item.completed" && e.item.type === "reasoning")).toBe(
      true,
    );
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBeGreaterThan(0);

    // The strict schema reached the model API, and so did the key.
    const first = model.requests.find((r) => r.context !== null);
    expect(first?.bearerToken).toBe(apiKey);
    const schema = first?.context?.outputSchema;
    expect(schema?.additionalProperties).toBe(false);
    expect(schema?.required).toEqual(Object.keys(CALC_ANALYSIS));
    expect(schema).not.toHaveProperty("$schema");
  });

  it("resumes the thread to patch the bug and run the tests", async () => {
    expect(await readFile(path.join(repo, "src/sum.js"), "utf8")).toBe(BUGGY_SUM);
    const { request, events } = turnRequest({
      threadId,
      workingDirectory: repo,
      prompt: "Now implement the fix and run the tests.",
    });
    const result = await agent.runTurn(request);

    expect(result.threadId).toBe(threadId);
    expect(await readFile(path.join(repo, "src/sum.js"), "utf8")).toBe(FIXED_SUM);
    expect(result.finalResponse).toBe("Fixed sum() to add; the tests pass.");
    const todo = events.find((e) => e.type === "item.started" && e.item.type === "todo_list");
    expect(todo).toMatchObject({
      item: {
        items: [
          { text: "Fix sum()", completed: false },
          { text: "Run the tests", completed: false },
        ],
      },
    });
    expect(events).toContainEqual(
      expect.objectContaining({
        type: "item.completed",
        item: expect.objectContaining({ type: "file_change", status: "completed" }) as unknown,
      }),
    );
    const tests = completedCommands(events).find((c) => c.command.includes("node --test"));
    expect(tests?.exitCode).toBe(0);
    const turnUsage = events.flatMap((e) => (e.type === "turn.completed" ? [e.usage] : []));
    expect(turnUsage).toEqual([result.usage]);
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.usage.cachedInputTokens).toBeGreaterThan(0);
  });

  it("runs a third turn on the same thread whose commands see no secrets", async () => {
    const { request, events } = turnRequest({
      threadId,
      workingDirectory: repo,
      prompt: "Print the environment of your shell.",
    });
    const result = await agent.runTurn(request);

    expect(result.threadId).toBe(threadId);
    const env = completedCommands(events).find((c) => c.command.includes("env"));
    // The command really ran (Codex sets CODEX_THREAD_ID for it) …
    expect(env?.output).toContain(`CODEX_THREAD_ID=${threadId}`);
    // … Codex itself had the key (it authenticated with it) but its commands did not.
    expect(model.requests.at(-1)?.bearerToken).toBe(apiKey);
    expect(env?.output).not.toContain(apiKey);
    expect(env?.output).not.toContain("CODEX_API_KEY");
    expect(env?.output).not.toContain(githubToken);
  });

  it("aborts a running turn with the signal's reason", async () => {
    const controller = new AbortController();
    const reason = new AppError("interrupted", "Cancelled by the test");
    const { request } = turnRequest({
      threadId,
      workingDirectory: repo,
      prompt: "Now sleep for a while.",
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === "item.started" && event.item.type === "command_execution") {
          controller.abort(reason);
        }
        return Promise.resolve();
      },
    });
    const started = Date.now();
    await expect(agent.runTurn(request)).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(10_000);
    // The aborted command must not outlive the turn (the adapter reaps orphans).
    expect(processesWithArgs(["sleep", "27.25"])).toEqual([]);
  });

  it("reports a model API answering 401 as codex_auth", async () => {
    const failing = await startScriptedModel({ scripts: [calcScript] });
    failing.setFaults([{ kind: "http_error", status: 401, count: Infinity }]);
    try {
      const badAgent = createCodexAgent({
        apiKey: "sk-wrong",
        baseUrl: failing.url,
        model: MODEL,
        codexHome,
        logger: silentLogger,
        providerTuning: FAST,
      });
      const { request } = turnRequest({ workingDirectory: repo, prompt: "CALC-7: analyze" });
      const error = await badAgent.runTurn(request).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: "codex_auth", message: CODEX_AUTH_MESSAGE });
      expect((error as AppError).cause).toBeDefined();
    } finally {
      await failing.close();
    }
  });

  it("reports a missing API key as codex_auth", async () => {
    const keyless = createCodexAgent({
      apiKey: "",
      baseUrl: model.url,
      model: MODEL,
      codexHome,
      logger: silentLogger,
      providerTuning: FAST,
    });
    const { request } = turnRequest({ workingDirectory: repo, prompt: "CALC-7: analyze" });
    await expect(keyless.runTurn(request)).rejects.toMatchObject({ code: "codex_auth" });
  });
});
