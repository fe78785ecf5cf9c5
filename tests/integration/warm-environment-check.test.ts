import { readdirSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import path from "node:path";
import pino from "pino";
import { createGitWorkspaces, type WorkspaceUpkeep } from "../../server/adapters/git/index.js";
import { prepareWarmWorktree } from "../../server/domain/environment/prepare-warm-worktree.js";
import type { Workspaces } from "../../server/domain/ports/workspaces.js";
import type { RepoConfig } from "../../server/domain/repo-config.js";
import type { TaskDeps } from "../../server/domain/task-deps.js";
import { runTask } from "../../server/domain/tasks/run-task.js";
import { calcFixTask, domainHarness } from "../support/fakes/domain-harness.js";
import { FakeAgent } from "../support/fakes/fake-agent.js";
import { FakeSandbox } from "../support/fakes/fake-sandbox.js";
import { testEnvironmentDeps } from "../support/environment-fixtures.js";
import {
  commitAndPush,
  fixtureRepoConfig,
  git,
  makeBareRepo,
  TempDirs,
  type BareRepo,
} from "../support/git-fixtures.js";

/**
 * A click on a warm, prepared worktree skips setup only when what setup depends on is
 * still what it was prepared with (issue 12): the quicker start must not trust a stale
 * warm worktree. Real git workspaces with a warm pool prepared through the real
 * environment files; the setup command itself is the fake sandbox's.
 */
const tmp = new TempDirs();
const silent = pino({ level: "silent" });
const SKIPPED = "Environment already prepared: setup skipped (same lockfiles)";
const SETUP = "Running setup: npm ci";

interface World {
  remote: BareRepo;
  workspaces: Workspaces & WorkspaceUpkeep;
  sandbox: FakeSandbox;
  deps: TaskDeps;
  store: ReturnType<typeof domainHarness>["store"];
  warmDir: () => string;
}

let opened: World | null = null;

afterEach(async () => {
  await opened?.workspaces.stop();
  opened = null;
  await tmp.cleanup();
});

async function world(): Promise<World> {
  const remote = await makeBareRepo(tmp, {
    "package-lock.json": '{"lockfileVersion":3}\n',
    "src/app.js": "export const x = 1;\n",
    ".gitignore": "node_modules/\n",
  });
  const dataDir = await tmp.make("patchboard-warm-env-");
  const repo: RepoConfig = { ...fixtureRepoConfig(remote.bare), setupCommand: "npm ci" };
  const sandbox = new FakeSandbox();
  const environment = testEnvironmentDeps(dataDir, sandbox, silent);
  const root = path.join(dataDir, "workspaces");
  const workspaces = createGitWorkspaces({
    root,
    logger: silent,
    warmWorktrees: 1,
    prepareWarm: (r, dir, commit, signal) =>
      prepareWarmWorktree(environment, { repo: r, dir, commit, signal }),
  });
  const agent = new FakeAgent(() => undefined).script({ error: new Error("the test ends here") });
  // The harness registers `repo`; the task runs on the real workspaces over its remote.
  const h = domainHarness({}, repo);
  const deps: TaskDeps = {
    ...h.deps,
    workspaces,
    agent,
    environment,
  };
  await workspaces.warmUp([repo]);
  const warmParent = path.join(root, "warm", "acme__calc");
  const warmDir = () => {
    const names = readdirSync(warmParent);
    if (names.length !== 1) throw new Error(`expected one warm worktree: ${names.join(", ")}`);
    return path.join(warmParent, names[0] ?? "");
  };
  return { remote, workspaces, sandbox, deps, store: h.store, warmDir };
}

/** Runs a free-form task until its agent's first turn ends; returns its environment's log lines. */
async function click(w: World, key: string): Promise<{ taskId: string; logs: string[] }> {
  const { task } = await w.store.create(
    calcFixTask(key, { kind: "prompt", ticketKey: null, prompt: "Rename x to y" }),
  );
  await runTask(w.deps, task.id, new AbortController().signal);
  const events = await w.store.listEvents(task.id);
  const logs = events.flatMap((e) => (e.type === "task.log" ? [e.payload.message] : []));
  return { taskId: task.id, logs: logs.filter((m) => m === SKIPPED || m.startsWith("Running ")) };
}

/** The setup runs made for `owner` (a task id, or "warm"): told apart by their HOME. */
function setupsOf(w: World, owner: string): string[] {
  return w.sandbox.runs
    .filter((run) => run.env.HOME?.endsWith(`/homes/${owner}`) === true)
    .map((run) => run.command);
}

describe("a click on a warm, prepared worktree", () => {
  it("skips setup when the worktree is exactly what was prepared", async () => {
    const w = (opened = await world());
    expect(setupsOf(w, "warm")).toEqual(["npm ci"]);
    const { taskId, logs } = await click(w, "CALC-1");
    expect(logs).toEqual([SKIPPED]);
    expect(setupsOf(w, taskId)).toEqual([]);
  });

  it("runs setup when the warm worktree's lockfile was changed after it was prepared", async () => {
    const w = (opened = await world());
    // At an unchanged base the claim trusts the pool and touches no file: the environment
    // check must still read what the lockfile holds now, not what it held when prepared.
    await writeFile(path.join(w.warmDir(), "package-lock.json"), '{"lockfileVersion":2}\n');
    const { taskId, logs } = await click(w, "CALC-2");
    expect(logs).toEqual([SETUP]);
    expect(setupsOf(w, taskId)).toEqual(["npm ci"]);
  });

  it("runs setup when the base moved to another lockfile since the worktree was prepared", async () => {
    const w = (opened = await world());
    await commitAndPush(w.remote, "main", { "package-lock.json": '{"lockfileVersion":4}\n' });
    const { taskId, logs } = await click(w, "CALC-3");
    expect(logs).toEqual([SETUP]);
    expect(setupsOf(w, taskId)).toEqual(["npm ci"]);
  });

  it("reads HEAD and every kind of change from one look at the worktree", async () => {
    const w = (opened = await world());
    const dir = w.warmDir();
    const head = git(dir, "rev-parse", "HEAD");
    await writeFile(path.join(dir, "src/app.js"), "export const x = 2;\n");
    await writeFile(path.join(dir, "new file.txt"), "untracked, with a space\n");
    await writeFile(path.join(dir, "node_modules.txt"), "not ignored\n");
    git(dir, "mv", "package-lock.json", "renamed lock.json");
    await rename(path.join(dir, ".gitignore"), path.join(dir, "gitignore-moved"));
    const status = await (w.deps.environment?.environments.status(dir) ?? Promise.resolve(null));
    expect(status).toEqual({
      head,
      tracked: [".gitignore", "renamed lock.json", "src/app.js"],
      untracked: ["gitignore-moved", "new file.txt", "node_modules.txt"],
    });
  });
});
