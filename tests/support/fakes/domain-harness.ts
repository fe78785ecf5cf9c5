import { pino } from "pino";
import { createMemoryRunGate } from "../../../server/adapters/limits/memory-run-gate.js";
import type { RepoConfig } from "../../../server/domain/repo-config.js";
import { RepoRegistry } from "../../../server/domain/repo-registry.js";
import type { TaskDeps } from "../../../server/domain/task-deps.js";
import { InProcessEventHub } from "../../../server/adapters/events/in-process-event-hub.js";
import type { NewTask } from "../../../server/domain/ports/task-store.js";
import { runTask } from "../../../server/domain/tasks/run-task.js";
import { TaskRunner } from "../../../server/domain/tasks/task-runner.js";
import { InMemoryTaskStore } from "../in-memory-task-store.js";
import { createFixTask } from "../../../server/domain/tasks/create-fix-task.js";
import { FakeAgent, type FakeTurn } from "./fake-agent.js";
import { FakeCodeHost } from "./fake-code-host.js";
import { FakeTracker } from "./fake-tracker.js";
import { FakeWorkspaces } from "./fake-workspaces.js";
import { FakeEnvironments } from "./fake-environments.js";
import { FakeSandbox } from "./fake-sandbox.js";
import { FakeThreadRollouts, InMemoryTurnCheckpoints } from "./fake-turn-checkpoints.js";

/** The repository every domain test works on. */
export const CALC_REPO: RepoConfig = {
  jiraProject: "CALC",
  github: "acme/calc",
  baseBranch: "main",
  cloneUrl: "file:///nowhere/calc.git",
  testCommand: "npm test",
  reviewers: ["reviewer-1"],
};

/** The task domain wired to in-memory fakes, with a real runner. */
export function domainHarness(
  overrides: Partial<TaskDeps["settings"]> = {},
  repo: RepoConfig = CALC_REPO,
) {
  const store = new InMemoryTaskStore();
  const workspaces = new FakeWorkspaces();
  const agent = new FakeAgent((cwd, file, content) => workspaces.write(cwd, file, content));
  const tracker = new FakeTracker();
  const codeHost = new FakeCodeHost();
  const sandbox = new FakeSandbox();
  const environments = new FakeEnvironments();
  const checkpoints = new InMemoryTurnCheckpoints();
  const rollouts = new FakeThreadRollouts();
  // The fake Codex "writes" each turn's rollout, as the real one does in the task's home.
  agent.onTurn = (taskId, threadId, prompt) =>
    rollouts.record(taskId, threadId, JSON.stringify(prompt));
  const deps: TaskDeps = {
    store,
    hub: new InProcessEventHub(),
    tracker,
    codeHost,
    workspaces,
    agent,
    repos: new RepoRegistry([repo]),
    settings: {
      commitAuthor: { name: "Patchboard", email: "patchboard@test" },
      turnTimeoutMs: 10_000,
      idleTimeoutMs: 10_000,
      jiraTransitionOnStart: null,
      jiraTransitionOnPr: null,
      ...overrides,
    },
    logger: pino({ level: "silent" }),
    now: () => new Date(),
    environment: {
      sandbox,
      environments,
      settings: {
        path: "/usr/bin:/bin",
        setupTimeoutMs: 60_000,
        testTimeoutMs: 30_000,
        setupEnv: { NPM_TOKEN: "registry-token-for-setup" },
      },
      logger: pino({ level: "silent" }),
    },
    checkpoints: { store: checkpoints, rollouts },
  };
  const runner = new TaskRunner({
    store,
    run: (taskId, signal) => runTask(deps, taskId, signal),
    concurrency: 2,
    logger: deps.logger,
  });
  // Generous: domain tests start many runs; the limit itself has its own tests.
  const gate = createMemoryRunGate({ perWindow: 10_000 });
  return {
    deps: { ...deps, queue: runner, gate },
    store,
    workspaces,
    agent,
    tracker,
    codeHost,
    runner,
    sandbox,
    environments,
    checkpoints,
    rollouts,
  };
}

/** A fix task of the calc repository for a ticket, on `codex/<key>`, with overrides. */
export function calcFixTask(key: string, overrides: Partial<NewTask> = {}): NewTask {
  return {
    kind: "fix",
    ticketKey: key,
    repo: "acme/calc",
    baseBranch: "main",
    branch: `codex/${key.toLowerCase()}`,
    prompt: null,
    instructions: null,
    createdBy: "pm@acme.test",
    ticketSnapshot: null,
    ...overrides,
  };
}

/** A fix task of the calc repository with the ticket's snapshot, as a click stores it. */
export function calcTicketTask(key: string, overrides: Partial<NewTask> = {}): NewTask {
  return calcFixTask(key, {
    ticketSnapshot: {
      key,
      url: `https://jira.test/browse/${key}`,
      summary: "add() subtracts",
      description: "",
      status: "Open",
      priority: null,
      reporter: null,
      labels: [],
      comments: [],
    },
    ...overrides,
  });
}

/** The analysis JSON a fixable bug's first turn answers with. */
export function analysisJson(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    fixable: true,
    rootCause: "add() subtracts",
    plan: ["Use + in add()", "Add a regression test"],
    files: ["src/add.js"],
    confidence: "high",
    notFixableReason: null,
    ...overrides,
  });
}

/** The person who asks for fixes in the domain's tests. */
export const PM = { email: "pm@acme.test", name: "Pat", role: "pm" as const };

/** What the calc bug's fix writes to `src/add.js`: `+` where the bug had `-`. */
export const FIXED_ADD = "export const add = (a, b) => a + b;";

/** The fix turn after the analysis that fixes the calc bug and runs its tests, green. */
export const GREEN_FIX_TURN: FakeTurn = {
  writes: { "src/add.js": FIXED_ADD },
  commands: [{ command: "bash -lc 'npm test'", exitCode: 0 }],
  final: "Changed - to + in add().",
};

/** The smallest fix turn after the analysis: one file written, the tests pass. */
export const SMALL_FIX_TURN: FakeTurn = {
  writes: { "a.js": "fixed" },
  commands: [{ command: "npm test", exitCode: 0 }],
  final: "fixed",
};

/**
 * Files the calc ticket `key` in the fake tracker and asks for its fix as {@link PM}, as a
 * click does; the runner starts the task (await `h.runner.idle()` for its end).
 */
export async function startCalcFix(h: ReturnType<typeof domainHarness>, key = "CALC-1") {
  h.tracker.add({ key, summary: "Adding two numbers gives the wrong total" });
  const { task } = await createFixTask(h.deps, { ticketKey: key, user: PM });
  return task;
}
