import path from "node:path";
import { TAKEOVER_RESUME_MESSAGE } from "../../server/domain/tasks/turn-checkpoint.js";
import { createTestDatabaseUrl, type TestDatabaseUrl } from "../support/postgres-database.js";
import {
  calcTickets,
  startReliabilityEnv,
  type ReliabilityEnv,
} from "../support/reliability-env.js";
import { calcFixScript, ticketOf, type Holds } from "../support/reliability-scripts.js";
import {
  apiClient,
  spawnServer,
  spawnWorker,
  waitFor,
  waitForFinal,
  type ServerProcess,
} from "../support/reliability-server.js";

// Issue 15's takeover with turn checkpoints, as production runs it: one API process and
// two workers on PostgreSQL, each with its own DATA_DIR. A worker is killed -9 in the
// middle of the fix turn, after the analysis turn completed; the other worker resumes
// the same Codex thread from the analysis turn's checkpoint.

/** A lease short enough that a dead worker's task is taken over within seconds. */
const LEASE_MS = 3000;

/** Whether a process logged `msg` for this task (pino JSON lines carry `taskId`). */
function logged(proc: ServerProcess, msg: string, taskId: string): boolean {
  return proc.logs.some((line) => {
    if (!line.includes(taskId) || !line.includes(`"${msg}"`)) return false;
    const parsed = JSON.parse(line) as { msg?: string; taskId?: string };
    return parsed.msg === msg && parsed.taskId === taskId;
  });
}

describe("scale-out with turn checkpoints", () => {
  const holds: Holds = { analyze: new Set(), fix: new Set() };
  let world: ReliabilityEnv;
  let database: TestDatabaseUrl;
  const processes: ServerProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabaseUrl();
    world = await startReliabilityEnv({
      scripts: [calcFixScript(holds)],
      tickets: calcTickets(2),
      env: {
        DATABASE_URL: database.url,
        SESSION_SECRET: "checkpoint-session-secret-0123456789abcdef",
        TASK_LEASE_MS: String(LEASE_MS),
        MAX_CONCURRENT_TASKS: "1",
      },
    });
  }, 120_000);

  afterAll(async () => {
    for (const proc of processes) await proc.kill9();
    await world.close();
    await database.drop();
  });

  const envOf = (name: string, extra: Record<string, string> = {}) => ({
    ...world.env,
    DATA_DIR: path.join(world.dataDir, name),
    ...extra,
  });

  it("resumes the same thread on the other worker after a kill -9 mid-turn; one PR, one comment", async () => {
    const started = Date.now();
    const [apiNode, workerA, workerB] = await Promise.all([
      spawnServer(envOf("api", { PATCHBOARD_ROLE: "api" })),
      spawnWorker(envOf("worker-a")),
      spawnWorker(envOf("worker-b")),
    ]);
    processes.push(apiNode, workerA, workerB);
    const api = apiClient(apiNode.url);

    // CALC-1's fix turn stalls on the model after its patch: the analysis turn is done
    // and checkpointed, the fix turn is not.
    holds.fix.add("CALC-1");
    const created = await api.createFix("CALC-1");
    expect(created.status).toBe(202);
    const id = created.task.id;
    const victim = await waitFor("CALC-1's fix turn to be held on a worker", () => {
      const held = world.model.requests.some(
        (r) =>
          r.context !== null &&
          ticketOf(r.context) === "CALC-1" &&
          /implement the fix/i.test(r.context.latestUserMessage) &&
          r.context.stepIndex === 1,
      );
      return held ? [workerA, workerB].find((w) => logged(w, "task started", id)) : undefined;
    });
    expect(logged(victim, "turn checkpoint stored", id)).toBe(true);
    const threadBefore = (await api.task(id)).threadId;
    expect(threadBefore).toMatch(/^[0-9a-f-]{36}$/);
    const survivor = victim === workerA ? workerB : workerA;
    await victim.kill9();
    holds.fix.clear();
    const killedAt = Date.now();

    const [final] = await waitForFinal(api, [id], "CALC-1 to finish on the survivor", 240_000);
    const doneAfterKillMs = Date.now() - killedAt;
    expect(`${final?.status}:${final?.outcome}`).toBe("completed:pr_opened");
    expect(logged(survivor, "task restored from its turn checkpoint", id)).toBe(true);
    // The same thread, resumed: its earlier (analysis) turn is in what the model was sent.
    expect(final?.threadId).toBe(threadBefore);
    const resumed = world.model.requests.filter(
      (r) =>
        r.context !== null &&
        ticketOf(r.context) === "CALC-1" &&
        /previous attempt/i.test(r.context.latestUserMessage),
    );
    expect(resumed.length).toBeGreaterThan(0);
    const context = resumed[0]?.context;
    expect(context?.userMessages.length).toBe(2);
    expect(context?.firstUserMessage).toMatch(/analy[sz]e only/i);
    const requests = (await api.events(id)).filter((e) => e.type === "task.request");
    expect(requests.map((e) => e.payload)).toEqual([
      expect.objectContaining({ action: "create" }),
      expect.objectContaining({ action: "retry", by: "system", message: TAKEOVER_RESUME_MESSAGE }),
    ]);
    const url = final?.pullRequest?.url ?? "<none>";
    const pulls = world.github
      .pullRequests("acme/calc")
      .filter((pr) => pr.head.ref === final?.branch);
    const comments = world.jira.comments("CALC-1").filter((c) => c.body.includes(url));
    expect(`${pulls.length} pull request, ${comments.length} comment`).toBe(
      "1 pull request, 1 comment",
    );
    process.stdout.write(
      `scale-out checkpoints: ${JSON.stringify({ doneAfterKillMs, totalMs: Date.now() - started })}\n`,
    );
    await Promise.all([apiNode.stop(), survivor.stop()]);
  }, 400_000);
});
