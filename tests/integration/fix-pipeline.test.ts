import { execFileSync } from "node:child_process";
import path from "node:path";
import {
  TaskEventListResponseSchema,
  TaskListResponseSchema,
  TaskResponseSchema,
} from "../../shared/index.js";
import type { FakeGitHub } from "../../server/sandbox/fake-github/index.js";
import type { FakeJira } from "../../server/sandbox/fake-jira/index.js";
import type { ScriptedModel } from "../../server/sandbox/scripted-model/index.js";
import { completedCommandsOf, pipelineScript, SUM_PROJECT } from "../support/pipeline-fixtures.js";
import {
  fixtureRepoConfig,
  git,
  makeBareRepo,
  TempDirs,
  type BareRepo,
} from "../support/git-fixtures.js";
import { startPipelineServer, type PipelineServer } from "../support/pipeline-server.js";

/**
 * The whole fix flow for real: the real Codex binary driven by the scripted model, the
 * real jira-client and octokit against fake Jira and GitHub servers over HTTP, real git
 * with a bare repository as the remote, and SQLite on disk — through the HTTP API.
 */
const SECRETS = {
  codexKey: "sk-pipeline-secret-0b5e1f",
  githubToken: "ghp_pipelineSecret0123456789",
  jiraToken: "jira-pipeline-secret-77",
  serviceToken: "svc-token-pipeline-0123456789",
  engineerToken: "svc-token-engineer-0123456789",
};

const tmp = new TempDirs();
let repo: BareRepo;
let world: PipelineServer;
let jira: FakeJira;
let github: FakeGitHub;
let model: ScriptedModel;
let logLines: string[];

beforeAll(async () => {
  repo = await makeBareRepo(tmp, SUM_PROJECT);
  // A secret in the server's own environment must not reach the agent either.
  process.env.PATCHBOARD_PIPELINE_SECRET = "server-env-secret-4242";
  world = await startPipelineServer({
    repos: [fixtureRepoConfig(repo.bare, { testCommand: "npm test", reviewers: ["ada"] })],
    collaborators: ["ada"],
    tickets: [
      {
        key: "CALC-7",
        summary: "sum() returns the difference",
        description: "Steps: call sum(2, 3). Expected 5, got -1.",
        priority: "High",
        transitions: [
          { name: "In Progress", to: "In Progress" },
          { name: "In Review", to: "In Review" },
        ],
      },
    ],
    scripts: [pipelineScript("CALC-7")],
    apiTokens: [
      { token: SECRETS.serviceToken, user: { email: "pat@acme.test", name: "Pat", role: "pm" } },
      {
        token: SECRETS.engineerToken,
        user: { email: "eve@acme.test", name: "Eve", role: "engineer" },
      },
    ],
    secrets: SECRETS,
    config: {
      logLevel: "debug",
      jira: { transitionOnStart: "In Progress", transitionOnPr: "In Review" },
    },
    captureLogs: true,
  });
  ({ jira, github, model, logLines } = world);
}, 60_000);

afterAll(async () => {
  delete process.env.PATCHBOARD_PIPELINE_SECRET;
  await world?.close();
  await tmp.cleanup();
});

const api = (pathname: string, init: RequestInit = {}) => world.api(pathname, init);
const waitForFinal = (id: string) => world.waitForTask(id);

describe("Fix this bug, end to end", () => {
  it("opens a pull request whose branch fixes the bug and whose tests pass", async () => {
    const res = await api("/api/tasks", {
      method: "POST",
      body: JSON.stringify({ ticketKey: "CALC-7" }),
    });
    expect(res.status).toBe(202);
    const created = TaskResponseSchema.parse(await res.json()).task;
    const task = await waitForFinal(created.id);
    expect(task.error).toBeNull();
    expect(task).toMatchObject({ status: "completed", outcome: "pr_opened", testsPassed: true });
    expect(task.analysis?.fixable).toBe(true);
    expect(task.usage.inputTokens).toBeGreaterThan(0);
    expect(task.threadId).toMatch(/[0-9a-f-]{36}/);

    // The branch was really pushed, with the fix, and its tests pass on a fresh checkout.
    const branch = task.branch ?? "";
    expect(branch).toBe("codex/calc-7-sum-returns-the-difference");
    expect(git(repo.bare, "show", `${branch}:src/sum.js`)).toContain("return a + b;");
    const checkout = await tmp.make("patchboard-checkout-");
    git(checkout, "clone", "--quiet", "--branch", branch, repo.bare, "calc");
    execFileSync("node", ["--test"], { cwd: path.join(checkout, "calc"), stdio: "pipe" });
    expect(git(repo.bare, "log", "-1", "--format=%an <%ae>", branch)).toBe(
      "Patchboard <patchboard@acme.test>",
    );

    // The pull request: right head, base, body; reviewers asked.
    const [pr] = github.pullRequests("acme/calc");
    expect(pr).toMatchObject({ head: { ref: branch }, base: { ref: "main" }, draft: false });
    expect(pr?.title).toBe("CALC-7: sum() returns the difference");
    expect(pr?.body).toContain(`Fixes [CALC-7](${jira.url}/browse/CALC-7)`);
    // The verdict is the server's own test run, not the agent's word.
    expect(pr?.body).toMatch(
      /The server ran `npm test` itself \(isolated, network off\): \*\*passed\*\*/,
    );
    expect(pr?.requested_reviewers.map((u) => u.login)).toEqual(["ada"]);
    expect(task.pullRequest).toEqual({ url: pr?.html_url, number: pr?.number, draft: false });

    // The Jira ticket carries the link and moved through the workflow.
    const comments = jira.comments("CALC-7");
    expect(comments.some((c) => c.body.includes(pr?.html_url ?? "?"))).toBe(true);
    expect(jira.issue("CALC-7")?.status).toBe("In Review");

    // Every agent event was stored; the commands saw none of the server's secrets.
    const events = TaskEventListResponseSchema.parse(
      await (await api(`/api/tasks/${task.id}/events`)).json(),
    ).events;
    const commands = completedCommandsOf(events);
    expect(commands.map((c) => c.exitCode)).toContain(0);
    const envDump = commands.find((c) => c.command.includes("env"))?.output ?? "";
    expect(envDump).toContain("PATH=");
    for (const secret of [...Object.values(SECRETS), "server-env-secret-4242"]) {
      expect(envDump).not.toContain(secret);
      expect(logLines.join("")).not.toContain(secret);
    }
    // The model did receive the key: the agent authenticates, its commands do not see it.
    expect(model.requests.some((r) => r.bearerToken === SECRETS.codexKey)).toBe(true);

    const diff = await (
      await api(`/api/tasks/${task.id}/diff`, { headers: { Accept: "text/plain" } })
    ).text();
    expect(diff).toContain("-  return a - b;");
    expect(diff).toContain("+  return a + b;");
  }, 180_000);

  it("sends a follow-up on the same thread and pushes to the same pull request", async () => {
    const list = TaskListResponseSchema.parse(
      await (await api("/api/tasks?ticketKey=CALC-7")).json(),
    );
    const listed = list.tasks[0];
    if (!listed) throw new Error("no task");
    // Lists carry summaries; the thread id is on the task itself.
    const { task } = TaskResponseSchema.parse(await (await api(`/api/tasks/${listed.id}`)).json());
    expect(task.threadId).toEqual(expect.any(String));
    const body = JSON.stringify({ message: "also add a regression test" });
    // A product manager may not follow up; an engineer may.
    expect((await api(`/api/tasks/${task.id}/messages`, { method: "POST", body })).status).toBe(
      403,
    );
    const res = await api(`/api/tasks/${task.id}/messages`, {
      method: "POST",
      body,
      headers: { Authorization: `Bearer ${SECRETS.engineerToken}` },
    });
    expect(res.status).toBe(202);
    const done = await waitForFinal(task.id);
    expect(done).toMatchObject({
      status: "completed",
      outcome: "pr_opened",
      threadId: task.threadId,
    });

    const branch = task.branch ?? "";
    expect(git(repo.bare, "ls-tree", "--name-only", "-r", branch)).toContain(
      "test/sum-regression.test.js",
    );
    expect(github.pullRequests("acme/calc")).toHaveLength(1);
    const [pr] = github.pullRequests("acme/calc");
    const prComments = github.comments("acme/calc", pr?.number ?? 0);
    expect(prComments.some((c) => c.body.includes("also add a regression test"))).toBe(true);
    // The follow-up resumed the same Codex thread: the model saw the earlier turns.
    const last = model.requests.at(-1);
    expect(JSON.stringify(last?.body ?? {})).toContain("Step 1 of 2");
  }, 180_000);
});
