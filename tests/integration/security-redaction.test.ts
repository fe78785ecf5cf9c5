import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import pino from "pino";
import { TaskSchema } from "../../shared/task.js";
import { createGitWorkspaces } from "../../server/adapters/git/index.js";
import { Redactor } from "../../server/domain/redaction/index.js";
import { RepoRegistry } from "../../server/domain/repo-registry.js";
import type { TaskDeps } from "../../server/domain/task-deps.js";
import { InProcessEventHub } from "../../server/adapters/events/in-process-event-hub.js";
import { createFixTask } from "../../server/domain/tasks/create-fix-task.js";
import { runTask } from "../../server/domain/tasks/run-task.js";
import { TaskRunner } from "../../server/domain/tasks/task-runner.js";
import { startFakeJira, type FakeJira } from "../../server/sandbox/fake-jira/index.js";
import { analysisJson } from "../support/fakes/domain-harness.js";
import { FakeAgent } from "../support/fakes/fake-agent.js";
import { fixtureRepoConfig, git, TempDirs } from "../support/git-fixtures.js";
import {
  hostFor,
  startFakeGitHubFixture,
  type FakeGitHubFixture,
} from "../support/github-fixtures.js";
import { CLOUD_CREDENTIALS, trackerFor } from "../support/jira-fixtures.js";
import { InMemoryTaskStore } from "../support/in-memory-task-store.js";
import { createMemoryRunGate } from "../../server/adapters/limits/memory-run-gate.js";

/**
 * The agent's words and its commands' output are untrusted: a prompt injection can make
 * it quote a token. Real Jira and GitHub adapters against the fake servers over HTTP,
 * real git: nothing secret-shaped or configured reaches either service or the event log.
 */
const TOKEN = `ghp_${"Ab3".repeat(12)}`;
const CONFIGURED = "server-jira-token-value-42";
const BASE64_OF_CONFIGURED = Buffer.from(`bot:${CONFIGURED}`).toString("base64");
const pm = { email: "pm@acme.test", name: "Pat", role: "pm" as const };
const silent = pino({ level: "silent" });
const tmp = new TempDirs();

let jira: FakeJira;
let fx: FakeGitHubFixture;

beforeEach(async () => {
  fx = await startFakeGitHubFixture(tmp);
  jira = await startFakeJira({
    credentials: CLOUD_CREDENTIALS,
    issues: [{ key: "CALC-7", summary: "Totals are wrong", description: "sum() subtracts." }],
  });
});

afterEach(async () => {
  await Promise.all([jira.close(), fx.github.close()]);
  await tmp.cleanup();
});

async function harness(agent: FakeAgent) {
  const store = new InMemoryTaskStore();
  const root = path.join(await tmp.make("patchboard-redact-"), "workspaces");
  const deps: TaskDeps = {
    store,
    hub: new InProcessEventHub(),
    tracker: trackerFor(jira).tracker,
    codeHost: hostFor(fx.github, silent),
    workspaces: createGitWorkspaces({ root, logger: silent }),
    agent,
    repos: new RepoRegistry([fixtureRepoConfig(fx.remote.bare)]),
    settings: {
      commitAuthor: { name: "Patchboard", email: "patchboard@test" },
      turnTimeoutMs: 60_000,
      idleTimeoutMs: 60_000,
      jiraTransitionOnStart: null,
      jiraTransitionOnPr: null,
    },
    logger: silent,
    now: () => new Date(),
    redactor: new Redactor([CONFIGURED]),
  };
  const runner = new TaskRunner({
    store,
    run: (taskId, signal) => runTask(deps, taskId, signal),
    concurrency: 1,
    logger: silent,
  });
  // Generous: the run limit has its own tests.
  const gate = createMemoryRunGate({ perWindow: 10_000 });
  return { deps: { ...deps, queue: runner, gate }, store, runner };
}

/** An agent that writes into the real worktree on disk. */
function diskAgent(): FakeAgent {
  return new FakeAgent((cwd, file, content) => {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), content);
  });
}

function expectClean(text: string): void {
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain(CONFIGURED);
  expect(text).not.toContain(BASE64_OF_CONFIGURED.slice(4, -4));
}

describe("redaction of everything that goes out or is stored", () => {
  it("a token in the agent's analysis and summary reaches neither Jira nor GitHub", async () => {
    const agent = diskAgent();
    agent.script(
      {
        final: analysisJson({
          rootCause: `sum() subtracts; the deploy key is ${TOKEN}`,
          plan: [`Use + (auth header Basic ${BASE64_OF_CONFIGURED})`],
        }),
      },
      {
        writes: { "src/app.js": "export const x = 2;\n" },
        final: `Fixed. For the record the Jira token is ${CONFIGURED}.`,
      },
    );
    const h = await harness(agent);
    const { task } = await createFixTask(h.deps, { ticketKey: "CALC-7", user: pm });
    await h.runner.idle();
    const done = TaskSchema.parse(await h.store.get(task.id));
    expect(done.outcome).toBe("pr_opened");

    const pulls = fx.github.pullRequests("acme/calc");
    expect(pulls).toHaveLength(1);
    const sent = JSON.stringify({
      pulls,
      comments: pulls.map((pr) => fx.github.comments("acme/calc", pr.number)),
    });
    expectClean(sent);
    expect(sent).toContain("[redacted: GitHub token]");
    expect(sent).toContain("[redacted: the server's own configured secret]");
    const jiraText = JSON.stringify(jira.comments("CALC-7"));
    expect(jira.comments("CALC-7")).toHaveLength(1);
    expectClean(jiraText);
    const events = await h.store.listEvents(task.id);
    const logs = events
      .filter((e) => e.type === "task.log")
      .map((e) => (e.payload as { message: string }).message);
    expect(logs).toContain(
      "Redacted the server's own configured secret, GitHub token from the pull request's title or body before sending it",
    );
    expect(logs).toContain(
      "Redacted the server's own configured secret from the commit message before sending it",
    );
    expectClean(JSON.stringify(events));
    // The pushed commit message is redacted too.
    expectClean(git(fx.remote.bare, "log", "--format=%B", "codex/calc-7-totals-are-wrong"));
  });

  it("a configured secret in a command's output is not stored in the task's events", async () => {
    const agent = diskAgent();
    agent.script({
      commands: [
        { command: "env", exitCode: 0, output: `JIRA_API_TOKEN=${CONFIGURED}\nPATH=/usr/bin` },
      ],
      final: analysisJson({ fixable: false, notFixableReason: `needs ${TOKEN} rotated` }),
    });
    const h = await harness(agent);
    const { task } = await createFixTask(h.deps, { ticketKey: "CALC-7", user: pm });
    await h.runner.idle();
    expect(TaskSchema.parse(await h.store.get(task.id)).outcome).toBe("not_fixable");
    const events = await h.store.listEvents(task.id);
    const stored = JSON.stringify(events);
    expectClean(stored);
    expect(stored).toContain("JIRA_API_TOKEN=[redacted: the server's own configured secret]");
    const logs = events.filter((e) => e.type === "task.log").map((e) => JSON.stringify(e.payload));
    expect(
      logs.some((l) =>
        l.includes("Redacted the server's own configured secret from a stored event"),
      ),
    ).toBe(true);
    expectClean(JSON.stringify(jira.comments("CALC-7")));
    expect(JSON.stringify(jira.comments("CALC-7"))).toContain("[redacted: GitHub token]");
  });
});
