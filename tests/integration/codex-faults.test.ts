import { AppError } from "../../server/domain/app-error.js";
import { createCodexAgent } from "../../server/adapters/codex/index.js";
import {
  SCRIPTED_MODEL_NAME,
  startScriptedModel,
} from "../../server/sandbox/scripted-model/index.js";
import type { Fault, ScriptedModel } from "../../server/sandbox/scripted-model/index.js";
import {
  makeBuggyRepo,
  makeCodexHome,
  removeDir,
  silentLogger,
  turnRequest,
} from "../support/codex-fixtures.js";
import { CALC_ANALYSIS, calcScript } from "../support/codex-scripts.js";

// How the real Codex CLI reacts to a failing model API, through the adapter. One retry
// at the stream level keeps each case to a couple of seconds.
const TUNING = { requestMaxRetries: 0, streamMaxRetries: 1, streamIdleTimeoutMs: 1_000 };

describe("Codex adapter under model API faults", () => {
  let model: ScriptedModel;
  let codexHome: string;
  let repo: string;

  beforeAll(async () => {
    model = await startScriptedModel({ scripts: [calcScript] });
    codexHome = await makeCodexHome();
    repo = await makeBuggyRepo();
  });

  afterAll(async () => {
    await model.close();
    await removeDir(codexHome);
    await removeDir(repo);
  });

  async function analyze(faults: Fault[], baseUrl = model.url) {
    model.setFaults(faults);
    const before = model.requests.length;
    const agent = createCodexAgent({
      apiKey: "sk-test",
      baseUrl,
      model: SCRIPTED_MODEL_NAME,
      codexHome,
      logger: silentLogger,
      providerTuning: TUNING,
    });
    const { request, events } = turnRequest({
      workingDirectory: repo,
      prompt: "CALC-7: analyze the bug.",
      sandbox: "read-only",
    });
    const outcome = await agent.runTurn(request).then(
      (result) => ({ result, error: null }),
      (error: unknown) => ({ result: null, error }),
    );
    const injected = model.requests.slice(before).filter((r) => r.fault !== null).length;
    return { ...outcome, events, injected };
  }

  it.each<[string, Fault]>([
    ["a 429", { kind: "http_error", status: 429, retryAfterSeconds: 1 }],
    ["a 500", { kind: "http_error", status: 500 }],
    ["a dropped stream", { kind: "drop" }],
    ["a stream stalled past the idle timeout", { kind: "stall", stallMs: 2_500 }],
    ["a response.failed event", { kind: "response_failed" }],
  ])("retries after %s and completes the turn", async (_name, fault) => {
    const { result, error, events, injected } = await analyze([fault]);
    expect(error).toBeNull();
    expect(JSON.parse(result?.finalResponse ?? "")).toEqual(CALC_ANALYSIS);
    expect(injected).toBe(1);
    // Codex reports the retry as a non-fatal stream error event.
    expect(events).toContainEqual(
      expect.objectContaining({
        type: "error",
        message: expect.stringMatching(/^Reconnecting/) as string,
      }),
    );
  });

  it.each<[string, Fault, string]>([
    [
      "429",
      { kind: "http_error", status: 429, retryAfterSeconds: 1, count: Infinity },
      "codex_rate_limited",
    ],
    ["500", { kind: "http_error", status: 500, count: Infinity }, "codex_unavailable"],
    ["401", { kind: "http_error", status: 401, count: Infinity }, "codex_auth"],
    ["dropped streams", { kind: "drop", count: Infinity }, "codex_unavailable"],
  ])("fails with a classified error when every request gets %s", async (_name, fault, code) => {
    const { error, events } = await analyze([fault]);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code });
    expect((error as AppError).cause).toBeDefined();
    expect(events.filter((e) => e.type === "turn.failed")).toHaveLength(1);
  });

  it("reports an unreachable model API as codex_unavailable", async () => {
    const gone = await startScriptedModel({ scripts: [] });
    await gone.close();
    const { error } = await analyze([], gone.url);
    expect(error).toMatchObject({ code: "codex_unavailable" });
  });
});
