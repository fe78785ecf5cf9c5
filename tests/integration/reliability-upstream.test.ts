import type { Task } from "../../shared/task.js";
import type { RunningServer } from "../../server/bootstrap/start-server.js";
import {
  calcTickets,
  startReliabilityEnv,
  type ReliabilityEnv,
} from "../support/reliability-env.js";
import { calcFixScript, ticketOf } from "../support/reliability-scripts.js";
import { apiClient, isFinal, waitFor } from "../support/reliability-server.js";

// 429 and 5xx from the model (through the real Codex binary), Jira and GitHub: retried
// with backoff (Retry-After honoured) a bounded number of times, then a clear failure.
describe("reliability: rate limits and outages upstream", () => {
  let world: ReliabilityEnv;
  let server: RunningServer;
  let api: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    world = await startReliabilityEnv({
      scripts: [calcFixScript()],
      tickets: calcTickets(7),
      env: { MAX_CONCURRENT_TASKS: "3" },
    });
    // Codex's own retries, kept small so giving up takes seconds, not minutes.
    server = await world.start({
      codexTuning: { requestMaxRetries: 1, streamMaxRetries: 2, streamIdleTimeoutMs: 10_000 },
    });
    api = apiClient(server.url);
    await waitFor("the start-up service check", async () => {
      const res = await api.get("/api/admin/services");
      const services = (res.body as { services: { state: string }[] }).services;
      return services.every((s) => s.state !== "pending") ? true : undefined;
    });
  }, 120_000);

  afterAll(async () => {
    await world.close();
  });

  const finished = (id: string): Promise<Task> =>
    waitFor("the task to finish", async () => {
      const task = await api.task(id);
      return isFinal(task) ? task : undefined;
    });

  it("retries the model's 429 and ends persistent 429/500 as codex_rate_limited/codex_unavailable", async () => {
    world.model.setFaults([
      {
        kind: "http_error",
        status: 429,
        retryAfterSeconds: 1,
        count: 1,
        when: (ctx) => ticketOf(ctx) === "CALC-1",
      },
      {
        kind: "http_error",
        status: 429,
        retryAfterSeconds: 1,
        count: Infinity,
        when: (ctx) => ticketOf(ctx) === "CALC-2",
      },
      {
        kind: "http_error",
        status: 500,
        count: Infinity,
        when: (ctx) => ticketOf(ctx) === "CALC-3",
      },
    ]);
    const ids = await Promise.all(
      ["CALC-1", "CALC-2", "CALC-3"].map(async (key) => (await api.createFix(key)).task.id),
    );
    const [once, limited, down] = await Promise.all(ids.map(finished));
    world.model.setFaults([]);
    expect(once).toMatchObject({ status: "completed", outcome: "pr_opened" });
    expect(limited?.status).toBe("failed");
    expect(limited?.error?.code).toBe("codex_rate_limited");
    expect(limited?.error?.message).toMatch(/rate limited/);
    expect(down?.status).toBe("failed");
    expect(down?.error?.code).toBe("codex_unavailable");
    // Bounded: Codex gave up after a few tries.
    const tries = world.model.requests.filter(
      (r) => r.context !== null && ticketOf(r.context) === "CALC-2",
    ).length;
    expect(tries).toBeGreaterThan(1);
    expect(tries).toBeLessThan(10);
  }, 240_000);

  it("retries Jira's 429 (Retry-After) and ends a persistent 503 as jira_unavailable", async () => {
    const ok = (await api.createFix("CALC-4")).task;
    await waitFor("CALC-4 to be fixing", async () =>
      (await api.task(ok.id)).phase === "fixing" ? true : undefined,
    );
    const before = world.jira.requests.length;
    world.jira.failNext(2, 429, { retryAfterSeconds: 1 });
    expect(await finished(ok.id)).toMatchObject({ status: "completed", outcome: "pr_opened" });
    const comments = world.jira.requests.slice(before).filter((r) => r.method === "POST");
    expect(comments.map((r) => r.status)).toEqual([429, 429, 201]);

    const down = (await api.createFix("CALC-5")).task;
    await waitFor("CALC-5 to be fixing", async () =>
      (await api.task(down.id)).phase === "fixing" ? true : undefined,
    );
    world.jira.failNext(4, 503);
    const failed = await finished(down.id);
    expect(failed.status).toBe("failed");
    expect(failed.error?.code).toBe("jira_unavailable");
    // The pull request is open; only the Jira link is missing, and the message says so.
    expect(failed.pullRequest).not.toBeNull();
  }, 240_000);

  it("retries GitHub's 429 (Retry-After) and ends a persistent 503 as github_unavailable", async () => {
    const ok = (await api.createFix("CALC-6")).task;
    await waitFor("CALC-6 to be fixing", async () =>
      (await api.task(ok.id)).phase === "fixing" ? true : undefined,
    );
    const before = world.github.requests.length;
    world.github.failNext(2, 429, { retryAfterSeconds: 1 });
    expect(await finished(ok.id)).toMatchObject({ status: "completed", outcome: "pr_opened" });
    expect(world.github.requests.slice(before, before + 3).map((r) => r.status)).toEqual([
      429, 429, 200,
    ]);

    const down = (await api.createFix("CALC-7")).task;
    await waitFor("CALC-7 to be fixing", async () =>
      (await api.task(down.id)).phase === "fixing" ? true : undefined,
    );
    world.github.failNext(4, 503);
    const failed = await finished(down.id);
    expect(failed.status).toBe("failed");
    expect(failed.error?.code).toBe("github_unavailable");
    expect(failed.error?.message).toContain("try again later");
    // Retrying after the outage publishes it, once.
    await api.post(`/api/tasks/${down.id}/retry`);
    expect(await finished(down.id)).toMatchObject({ status: "completed", outcome: "pr_opened" });
    expect(
      world.github.pullRequests("acme/calc").filter((p) => p.head.ref === down.branch),
    ).toHaveLength(1);
  }, 240_000);
});
