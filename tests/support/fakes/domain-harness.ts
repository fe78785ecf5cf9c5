import { pino } from "pino";
import type { RepoConfig } from "../../../server/domain/repo-config.js";
import { RepoRegistry } from "../../../server/domain/repo-registry.js";
import type { TaskDeps } from "../../../server/domain/task-deps.js";
import { TaskEventHub } from "../../../server/domain/task-event-hub.js";
import { runTask } from "../../../server/domain/tasks/run-task.js";
import { TaskRunner } from "../../../server/domain/tasks/task-runner.js";
import { InMemoryTaskStore } from "../in-memory-task-store.js";
import { FakeAgent } from "./fake-agent.js";
import { FakeCodeHost } from "./fake-code-host.js";
import { FakeTracker } from "./fake-tracker.js";
import { FakeWorkspaces } from "./fake-workspaces.js";

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
export function domainHarness(overrides: Partial<TaskDeps["settings"]> = {}) {
  const store = new InMemoryTaskStore();
  const workspaces = new FakeWorkspaces();
  const agent = new FakeAgent((cwd, file, content) => workspaces.write(cwd, file, content));
  const tracker = new FakeTracker();
  const codeHost = new FakeCodeHost();
  const deps: TaskDeps = {
    store,
    hub: new TaskEventHub(),
    tracker,
    codeHost,
    workspaces,
    agent,
    repos: new RepoRegistry([CALC_REPO]),
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
  };
  const runner = new TaskRunner({
    store,
    run: (taskId, signal) => runTask(deps, taskId, signal),
    concurrency: 2,
    logger: deps.logger,
  });
  return { deps: { ...deps, queue: runner }, store, workspaces, agent, tracker, codeHost, runner };
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
