import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { RunningServer } from "../../server/bootstrap/start-server.js";
import type { Script, ScriptContext, StepSpec } from "../../server/sandbox/scripted-model/index.js";
import type { Task, TaskEvent } from "../../shared/index.js";
import { SUM_FIX_PATCH } from "../support/codex-fixtures.js";
import { CALC_ANALYSIS } from "../support/codex-scripts.js";
import { startReliabilityEnv, type ReliabilityEnv } from "../support/reliability-env.js";
import { ticketOf } from "../support/reliability-scripts.js";
import { apiClient, isFinal, waitFor } from "../support/reliability-server.js";

/** 100,000 input tokens (20,000 cached) and 1,000 output: 0.1125 USD at the default prices. */
const HEAVY = { inputTokens: 100_000, cachedInputTokens: 20_000, outputTokens: 1_000 };
const HEAVY_COST = 0.1125;
const TASK_BUDGET = 0.3;

const PROBE_TICKET = "CALC-1";
const SLOW_TICKET = "CALC-2";
const BUDGET_TICKET = "CALC-3";

const heavyOn = (ticket: string) => (ctx: ScriptContext) =>
  ticketOf(ctx) === ticket ? { usage: HEAVY } : {};

/**
 * Everything the agent's commands can see of processes: its own environment, its
 * parent's (the Codex CLI), and the environment and command line of every process in
 * /proc it may read, written to the task's own temporary directory (outside the worktree,
 * and visible from the host at DATA_DIR/agent-homes/<task>/tmp).
 */
function probeCommand(out: string): string {
  return [
    `{ env; echo; tr '\\0' '\\n' < /proc/$PPID/environ; echo; tr '\\0' ' ' < /proc/$PPID/cmdline; echo;`,
    `for p in /proc/[0-9]*; do tr '\\0' '\\n' < $p/environ; tr '\\0' ' ' < $p/cmdline; echo; done; } > ${out} 2>/dev/null;`,
    `echo probed`,
  ].join(" ");
}

function gatewayScript(probeOut: string): Script {
  const fixSteps = (ctx: ScriptContext): StepSpec[] => {
    switch (ticketOf(ctx)) {
      case PROBE_TICKET:
        return [
          { kind: "patch", patch: SUM_FIX_PATCH },
          { kind: "shell", command: probeCommand(probeOut) },
          // Long enough for the test to read the CLI's environment from outside.
          { kind: "message", text: "Probed.", delayMs: 1_500 },
        ];
      case SLOW_TICKET:
        // Slow on purpose: the test reads the task twice while this turn runs.
        return [
          { kind: "patch", patch: SUM_FIX_PATCH },
          { kind: "shell", command: "echo two", delayMs: 1_500 },
          { kind: "message", text: "Done slowly.", delayMs: 4_000 },
        ];
      default:
        return [
          { kind: "patch", patch: SUM_FIX_PATCH, usage: HEAVY },
          { kind: "shell", command: "node --test", usage: HEAVY },
          { kind: "message", text: "Fixed.", usage: HEAVY },
        ];
    }
  };
  return {
    name: "gateway",
    match: /CALC-\d+/,
    turns: [
      {
        match: /analy[sz]e only/i,
        steps: [(ctx) => ({ kind: "json", value: CALC_ANALYSIS, ...heavyOn(BUDGET_TICKET)(ctx) })],
      },
      {
        match: /implement the fix/i,
        steps: [0, 1, 2].map(
          (index) =>
            (ctx: ScriptContext): StepSpec =>
              fixSteps(ctx)[index] ?? { kind: "message", text: "Done." },
        ),
      },
      {
        match: /Follow-up from/i,
        steps: [{ kind: "message", text: "Finished with the added budget." }],
      },
    ],
  };
}

/** Whether any file under `dir` contains `needle`. */
async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const content = await readFile(file).catch(() => Buffer.alloc(0));
    if (content.includes(needle)) found.push(file);
  }
  return found;
}

/** Environment and command line of every process that runs with a task's CODEX_HOME. */
function codexProcesses(dataDir: string): string[] {
  const marker = `CODEX_HOME=${dataDir}/agent-homes/`;
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const environ = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
      if (!environ.some((entry) => entry.startsWith(marker))) continue;
      found.push([...environ, readFileSync(`/proc/${pid}/cmdline`, "utf8")].join("\n"));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}

function fixTurnCompleted(events: TaskEvent[]): boolean {
  const fixTurn = events.findLastIndex((e) => e.type === "task.turn" && e.payload.kind === "fix");
  return (
    fixTurn >= 0 &&
    events.slice(fixTurn).some((e) => e.type === "agent" && e.payload.type === "turn.completed")
  );
}

// The model gateway on a real server with the real Codex binary and the scripted model.
describe("model gateway", () => {
  const apiKey = `sk-gateway-${randomUUID()}`;
  let world: ReliabilityEnv;
  let server: RunningServer;

  beforeAll(async () => {
    world = await startReliabilityEnv({
      scripts: [gatewayScript('"$TMPDIR/probe.out"')],
      env: { CODEX_API_KEY: apiKey, TASK_BUDGET: String(TASK_BUDGET) },
    });
    server = await world.start();
  }, 120_000);

  afterAll(async () => {
    await world.close();
  });

  const finalTask = (api: ReturnType<typeof apiClient>, id: string): Promise<Task> =>
    waitFor("the task to end", async () => {
      const task = await api.task(id);
      return isFinal(task) ? task : undefined;
    });

  it("gives the model the real key and the agent only a token of its task", async () => {
    const api = apiClient(server.url);
    const { task } = await api.createFix(PROBE_TICKET);
    // From outside (the test runs as the same user, unsandboxed): the Codex CLI's own
    // environment and command line, read while it runs.
    const codexEnv = await waitFor("a running Codex CLI", () => {
      const seen = codexProcesses(world.dataDir);
      return seen.some((p) => p.includes("CODEX_API_KEY=")) ? seen.join("\n") : undefined;
    });
    const done = await finalTask(api, task.id);
    expect(done.status).toBe("completed");
    expect(codexEnv).toMatch(/CODEX_API_KEY=pbgw_[\w-]{40,}/);
    expect(codexEnv).not.toContain(apiKey);

    const requests = world.model.requests.filter((r) =>
      r.context?.firstUserMessage.includes(PROBE_TICKET),
    );
    expect(requests.length).toBeGreaterThan(2);
    expect(new Set(requests.map((r) => r.bearerToken))).toEqual(new Set([apiKey]));

    // The agent's probe read its own environment and its parent's command line...
    const homes = path.join(world.dataDir, "agent-homes", task.id);
    const probe = await readFile(path.join(homes, "tmp", "probe.out"), "utf8");
    expect(probe).toContain(`CODEX_HOME=${homes}/codex-home`);
    expect(probe).toContain("codex-linux-sandbox --sandbox-policy-cwd");
    // ...and nothing any process showed the agent holds the real key.
    expect(probe).not.toContain(apiKey);
    expect(await filesContaining(path.join(world.dataDir, "codex-home"), apiKey)).toEqual([]);
    expect(await filesContaining(homes, apiKey)).toEqual([]);
    // The token was revoked with the turn: the gateway refuses it now.
    const token = /CODEX_API_KEY=(pbgw_[\w-]+)/.exec(codexEnv)?.[1] ?? "";
    const gateway = server.services.gateway.url;
    const reused = await fetch(`${gateway}/responses`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(reused.status).toBe(401);
  }, 120_000);

  it("shows the task's usage rising during one slow turn", async () => {
    const api = apiClient(server.url);
    const { task } = await api.createFix(SLOW_TICKET);
    const inFixTurn = async (): Promise<number | undefined> => {
      const [current, events] = await Promise.all([api.task(task.id), api.events(task.id)]);
      const fixing = events.some((e) => e.type === "task.turn" && e.payload.kind === "fix");
      if (!fixing || fixTurnCompleted(events)) return undefined;
      return current.usage.inputTokens;
    };
    const first = await waitFor("usage during the fix turn", async () => {
      const tokens = await inFixTurn();
      return tokens !== undefined && tokens > 0 ? tokens : undefined;
    });
    const second = await waitFor("more usage during the same turn", async () => {
      const tokens = await inFixTurn();
      return tokens !== undefined && tokens > first ? tokens : undefined;
    });
    const events = await api.events(task.id);
    expect(fixTurnCompleted(events)).toBe(false);
    expect(second).toBeGreaterThan(first);

    const done = await finalTask(api, task.id);
    expect(done.status).toBe("completed");
    // History's figures are the gateway's: the usage events' last totals, counted once.
    const usageEvents = (await api.events(task.id)).filter((e) => e.type === "task.usage");
    const last = usageEvents.at(-1);
    expect(last?.type === "task.usage" ? last.payload.usage : null).toEqual(done.usage);
    const requests = world.model.requests.filter((r) =>
      r.context?.firstUserMessage.includes(SLOW_TICKET),
    );
    expect(last?.type === "task.usage" ? last.payload.requests : null).toBe(requests.length);
  }, 120_000);

  it("ends a task past its budget budget_exceeded, keeps its diff, and continues with more", async () => {
    const api = apiClient(server.url);
    const { task } = await api.createFix(BUDGET_TICKET);
    const failed = await finalTask(api, task.id);
    expect(failed.status).toBe("failed");
    expect(failed.phase).toBe("fixing");
    expect(failed.error?.code).toBe("budget_exceeded");
    expect(failed.error?.message).toContain("0.34 USD of 0.30 USD used");

    // Analysis, patch and tests went out; the fourth request, past the line, never left.
    const sent = () =>
      world.model.requests.filter((r) => r.context?.firstUserMessage.includes(BUDGET_TICKET));
    expect(sent()).toHaveLength(3);
    const spend = await api.get(`/api/tasks/${task.id}/spend`);
    expect(spend.body).toEqual({
      currency: "USD",
      spent: expect.closeTo(3 * HEAVY_COST, 6) as number,
      limit: TASK_BUDGET,
      requests: 3,
      maxRequests: null,
    });
    const diff = await api.get(`/api/tasks/${task.id}/diff`);
    expect(diff.text).toContain("+  return a + b;");

    // A retry adds nothing, so it is refused; an engineer's follow-up with budget continues.
    const retry = await api.post(`/api/tasks/${task.id}/retry`);
    expect(retry.status).toBe(402);
    const engineer = apiClient(server.url, "engineer");
    const followUp = await engineer.post(`/api/tasks/${task.id}/messages`, {
      message: "Finish up.",
      addBudget: 1,
    });
    expect(followUp.status).toBe(202);
    const continued = await finalTask(api, task.id);
    expect(continued.status).toBe("completed");
    expect(sent()).toHaveLength(4);
    const events = await api.events(task.id);
    expect(
      events.some(
        (e) =>
          e.type === "task.log" &&
          e.payload.message === "engineer@acme.test added 1.00 USD to the task's budget",
      ),
    ).toBe(true);
  }, 180_000);
});

describe("model gateway: the daily budget", () => {
  let world: ReliabilityEnv;
  let server: RunningServer;

  beforeAll(async () => {
    const script: Script = {
      name: "gateway-daily",
      match: /CALC-\d+/,
      turns: [
        {
          match: /analy[sz]e only/i,
          steps: [
            { kind: "shell", command: "cat src/sum.js", usage: HEAVY },
            { kind: "json", value: CALC_ANALYSIS },
          ],
        },
      ],
    };
    world = await startReliabilityEnv({ scripts: [script], env: { DAILY_BUDGET: "0.1" } });
    server = await world.start();
  }, 120_000);

  afterAll(async () => {
    await world.close();
  });

  it("stops the running task and refuses the next click with a 402 naming the budget", async () => {
    const api = apiClient(server.url, "pm");
    const { task } = await api.createFix("CALC-1");
    const failed = await waitFor("the task to end", async () => {
      const t = await api.task(task.id);
      return isFinal(t) ? t : undefined;
    });
    expect(failed.error?.code).toBe("budget_exceeded");
    expect(failed.error?.message).toMatch(/^The daily budget \(DAILY_BUDGET\) is spent/);

    const click = await api.post("/api/tasks", { ticketKey: "CALC-2" });
    expect(click.status).toBe(402);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect(click.body).toEqual({
      error: {
        code: "budget_exceeded",
        message: `The daily budget (DAILY_BUDGET) is spent: 0.11 USD of 0.10 USD used today; it resets at 00:00 UTC (${tomorrow}T00:00:00.000Z)`,
        details: {
          budget: "daily",
          limit: 0.1,
          spent: expect.closeTo(HEAVY_COST, 6) as number,
          resetsAt: `${tomorrow}T00:00:00.000Z`,
        },
      },
    });
    const status = await api.get("/api/budget");
    expect(status.body).toMatchObject({
      currency: "USD",
      blocked: expect.stringMatching(/^The daily budget \(DAILY_BUDGET\) is spent/) as string,
    });
    const tasks = await api.get("/api/tasks?ticketKey=CALC-2");
    expect((tasks.body as { tasks: unknown[] }).tasks).toEqual([]);
  }, 120_000);
});
