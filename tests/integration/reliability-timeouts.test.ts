import type { RunningServer } from "../../server/bootstrap/start-server.js";
import type { Script, ScriptContext, StepSpec } from "../../server/sandbox/scripted-model/index.js";
import { SUM_FIX_PATCH } from "../support/codex-fixtures.js";
import { CALC_ANALYSIS } from "../support/codex-scripts.js";
import { startReliabilityEnv, type ReliabilityEnv } from "../support/reliability-env.js";
import { HOLD_MS, ticketOf } from "../support/reliability-scripts.js";
import { apiClient, isFinal, waitFor } from "../support/reliability-server.js";

const IDLE_MS = 4_000;
const TURN_MS = 15_000;

/**
 * CALC-1's fix applies the patch, then the model goes silent (the idle watchdog);
 * CALC-2's fix keeps busy with short commands past the turn's deadline.
 */
const stallingScript: Script = {
  name: "reliability-stalls",
  match: /CALC-\d+/,
  turns: [
    { match: /analy[sz]e only/i, steps: [{ kind: "json", value: CALC_ANALYSIS }] },
    {
      match: /implement the fix/i,
      steps: [
        { kind: "patch", patch: SUM_FIX_PATCH },
        ...Array.from(
          { length: 12 },
          (_, i) =>
            (ctx: ScriptContext): StepSpec =>
              ticketOf(ctx) === "CALC-1"
                ? { kind: "shell", command: "node --test", delayMs: HOLD_MS }
                : { kind: "shell", command: `sleep 2 && echo step ${i}` },
        ),
        { kind: "message", text: "Done." },
      ],
    },
  ],
};

// The turn deadline (CODEX_TURN_TIMEOUT_MS) and idle watchdog (CODEX_IDLE_TIMEOUT_MS) on a
// real server with the real Codex binary: the task fails `codex_timeout` and keeps its
// events and its partial change.
describe("reliability: turn timeouts", () => {
  let world: ReliabilityEnv;
  let server: RunningServer;

  beforeAll(async () => {
    world = await startReliabilityEnv({
      scripts: [stallingScript],
      env: { CODEX_IDLE_TIMEOUT_MS: String(IDLE_MS), CODEX_TURN_TIMEOUT_MS: String(TURN_MS) },
    });
    server = await world.start();
  }, 120_000);

  afterAll(async () => {
    await world.close();
  });

  it("stops a silent turn with the idle watchdog and keeps its events and partial diff", async () => {
    const api = apiClient(server.url);
    const { task } = await api.createFix("CALC-1");
    const failed = await waitFor("the task to fail", async () => {
      const t = await api.task(task.id);
      return isFinal(t) ? t : undefined;
    });
    // The task's own error goes into the message, so a red run says why.
    expect(failed.status, JSON.stringify(failed.error)).toBe("failed");
    expect(failed.phase, JSON.stringify(failed.error)).toBe("fixing");
    expect(failed.error).toEqual({
      code: "codex_timeout",
      message: `The agent sent nothing for ${IDLE_MS / 1000} s and was stopped`,
    });
    const events = await api.events(task.id);
    // The patch the agent applied before it went silent is in its log and in the diff.
    expect(
      events.some(
        (e) =>
          e.type === "agent" &&
          e.payload.type === "item.completed" &&
          e.payload.item.type === "file_change",
      ),
    ).toBe(true);
    const diff = await api.get(`/api/tasks/${task.id}/diff`);
    expect(diff.text).toContain("+  return a + b;");
  }, 120_000);

  it("stops a turn that runs past its deadline though it keeps sending events", async () => {
    const api = apiClient(server.url);
    const { task } = await api.createFix("CALC-2");
    const failed = await waitFor("the task to fail", async () => {
      const t = await api.task(task.id);
      return isFinal(t) ? t : undefined;
    });
    expect(failed.status).toBe("failed");
    expect(failed.error).toEqual({
      code: "codex_timeout",
      message: `The agent's turn took longer than ${TURN_MS / 1000} s and was stopped`,
    });
    const events = await api.events(task.id);
    const commands = events.filter(
      (e) =>
        e.type === "agent" &&
        e.payload.type === "item.completed" &&
        e.payload.item.type === "command_execution",
    );
    expect(commands.length).toBeGreaterThan(2);
    const diff = await api.get(`/api/tasks/${task.id}/diff`);
    expect(diff.text).toContain("+  return a + b;");
  }, 120_000);
});
