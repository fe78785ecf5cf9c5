import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ServiceStatus } from "../../shared/service-status.js";
import type { Task } from "../../shared/task.js";
import type { RunningServer } from "../../server/bootstrap/start-server.js";
import { startReliabilityEnv, type ReliabilityEnv } from "../support/reliability-env.js";
import { calcFixScript } from "../support/reliability-scripts.js";
import { apiClient, isFinal, waitFor } from "../support/reliability-server.js";

// Wrong or missing credentials: the start-up check names the failing service (log and
// GET /api/admin/services, admins only) without stopping the server, and a task ends
// `codex_auth`, `jira_auth` or `github_auth` with the fix in words, never a stack trace.
describe("reliability: authentication", () => {
  let world: ReliabilityEnv;
  let refusingModel: http.Server;
  let refusingUrl: string;
  let server: RunningServer | null = null;
  const good: Record<string, string> = {};

  beforeAll(async () => {
    world = await startReliabilityEnv({ scripts: [calcFixScript()] });
    Object.assign(good, world.env);
    // A model API that refuses every key, as OpenAI does a revoked one.
    refusingModel = http.createServer((_req, res) => {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          error: {
            message: "Incorrect API key provided.",
            type: "invalid_request_error",
            code: "invalid_api_key",
          },
        }),
      );
    });
    await new Promise<void>((resolve) => refusingModel.listen(0, "127.0.0.1", resolve));
    refusingUrl = `http://127.0.0.1:${(refusingModel.address() as AddressInfo).port}/v1`;
  }, 120_000);

  afterEach(async () => {
    await server?.close();
    server = null;
    Object.assign(world.env, good);
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => refusingModel.close(() => resolve()));
    await world.close();
  });

  async function servicesOf(api: ReturnType<typeof apiClient>): Promise<ServiceStatus[]> {
    return waitFor("the start-up service check", async () => {
      const res = await api.get("/api/admin/services");
      const services = (res.body as { services: ServiceStatus[] }).services;
      return services.every((s) => s.state !== "pending") ? services : undefined;
    });
  }

  async function finished(api: ReturnType<typeof apiClient>, id: string): Promise<Task> {
    return waitFor("the task to finish", async () => {
      const task = await api.task(id);
      return isFinal(task) ? task : undefined;
    });
  }

  function expectNoStackTrace(message: string | undefined): void {
    expect(message).toBeDefined();
    expect(message).not.toMatch(/\n\s+at |Error:|\.ts:\d+/);
  }

  it("reports every wrong credential at start-up, to admins only, and keeps serving", async () => {
    Object.assign(world.env, {
      CODEX_BASE_URL: refusingUrl,
      JIRA_API_TOKEN: "wrong-jira-token",
      GITHUB_TOKEN: "ghp_wrong_token_0000000000000000",
    });
    server = await world.start();
    const admin = apiClient(server.url, "admin");
    const services = await servicesOf(admin);
    expect(services.map((s) => [s.name, s.state, s.code])).toEqual([
      ["codex", "failed", "codex_auth"],
      ["jira", "failed", "jira_auth"],
      ["github", "failed", "github_auth"],
      // The agent runs isolated (AGENT_ISOLATION defaults to bubblewrap), which works here.
      ["isolation", "ok", null],
    ]);
    const [codex, jira, github] = services;
    expect(codex?.message).toContain("set CODEX_API_KEY or run codex login");
    expect(jira?.message).toContain("JIRA_API_TOKEN");
    expect(github?.message).toContain("GITHUB_TOKEN");
    for (const service of [codex, jira, github]) expectNoStackTrace(service?.message ?? undefined);
    expect((await apiClient(server.url, "pm").get("/api/admin/services")).status).toBe(403);
    expect((await admin.get("/api/health")).status).toBe(200);
    // Creating a task needs the ticket from Jira: refused with the fix, not a 500.
    const refused = await apiClient(server.url, "pm").post("/api/tasks", { ticketKey: "CALC-1" });
    expect(refused.status).toBe(502);
    expect(refused.body).toMatchObject({ error: { code: "jira_auth" } });
  }, 120_000);

  it("fails a task with codex_auth when the model API refuses the key", async () => {
    world.env.CODEX_BASE_URL = refusingUrl;
    server = await world.start({ codexTuning: { requestMaxRetries: 0, streamMaxRetries: 0 } });
    const api = apiClient(server.url);
    const { task } = await api.createFix("CALC-1");
    const failed = await finished(api, task.id);
    expect(failed.status).toBe("failed");
    expect(failed.error?.code).toBe("codex_auth");
    expect(failed.error?.message).toContain("set CODEX_API_KEY or run codex login");
    expectNoStackTrace(failed.error?.message);
  }, 120_000);

  it("fails a task with github_auth or jira_auth when a token is refused mid-task", async () => {
    server = await world.start();
    const api = apiClient(server.url);
    await servicesOf(api);

    // GitHub refuses the token when the task publishes.
    const gh = (await api.createFix("CALC-2")).task;
    await waitFor("CALC-2 to be fixing", async () =>
      (await api.task(gh.id)).phase === "fixing" ? true : undefined,
    );
    world.github.failNext(1, 401);
    const ghFailed = await finished(api, gh.id);
    expect(ghFailed.status).toBe("failed");
    expect(ghFailed.error?.code).toBe("github_auth");
    expect(ghFailed.error?.message).toContain("check GITHUB_TOKEN");
    expectNoStackTrace(ghFailed.error?.message);

    // Jira refuses the credentials when the pull request is linked on the ticket.
    const jira = (await api.createFix("CALC-3")).task;
    await waitFor("CALC-3 to be fixing", async () =>
      (await api.task(jira.id)).phase === "fixing" ? true : undefined,
    );
    world.jira.failNext(1, 401);
    const jiraFailed = await finished(api, jira.id);
    expect(jiraFailed.status).toBe("failed");
    expect(jiraFailed.error?.code).toBe("jira_auth");
    expect(jiraFailed.error?.message).toContain("JIRA_API_TOKEN");
    expectNoStackTrace(jiraFailed.error?.message);
    // Retrying once the credentials work again finishes the job with the same pull request.
    await api.post(`/api/tasks/${jira.id}/retry`);
    const retried = await finished(api, jira.id);
    expect(retried).toMatchObject({ status: "completed", outcome: "pr_opened" });
    expect(
      world.github.pullRequests("acme/calc").filter((p) => p.head.ref === jira.branch),
    ).toHaveLength(1);
  }, 240_000);
});
