import { readdir } from "node:fs/promises";
import path from "node:path";
import pino from "pino";
import { createGitWorkspaces, type WorkspaceUpkeep } from "../../server/adapters/git/index.js";
import { countWarmWorktrees } from "../../server/adapters/git/warm-pool.js";
import type {
  AgentTurnRequest,
  AgentTurnResult,
  CodingAgent,
} from "../../server/domain/ports/coding-agent.js";
import type { Workspaces } from "../../server/domain/ports/workspaces.js";
import type { TaskDeps } from "../../server/domain/task-deps.js";
import { runTask } from "../../server/domain/tasks/run-task.js";
import { calcFixTask, domainHarness } from "../support/fakes/domain-harness.js";
import { FakeAgent } from "../support/fakes/fake-agent.js";
import { fixtureRepoConfig, makeBareRepo, TempDirs } from "../support/git-fixtures.js";

/**
 * The warm pool's refill (a checkout plus the repository's setup: an `npm ci` of minutes
 * of CPU) waits for the agent's first event of the task that claimed a warm worktree, so
 * it does not compete with that agent's start (issue 12). Real git workspaces with a warm
 * pool, the task domain, and an agent the test holds at its entry.
 */
const tmp = new TempDirs();
const silent = pino({ level: "silent" });

/** An agent that enters its turn, then waits for the test before it says anything. */
class HeldAgent implements CodingAgent {
  readonly entered: Promise<void>;
  #enter = (): void => undefined;
  #release = (): void => undefined;
  readonly #released = new Promise<void>((resolve) => {
    this.#release = resolve;
  });

  constructor(
    private readonly inner: CodingAgent,
    private readonly failAtEntry = false,
  ) {
    this.entered = new Promise((resolve) => {
      this.#enter = resolve;
    });
  }

  release(): void {
    this.#release();
  }

  async runTurn(request: AgentTurnRequest): Promise<AgentTurnResult> {
    this.#enter();
    await this.#released;
    if (this.failAtEntry) throw new Error("the agent could not start");
    return this.inner.runTurn(request);
  }
}

interface World {
  workspaces: Workspaces & WorkspaceUpkeep;
  deps: TaskDeps;
  store: ReturnType<typeof domainHarness>["store"];
  warmParent: string;
  warmRoot: string;
  mirror: string;
}

async function world(agent: CodingAgent): Promise<World> {
  const remote = await makeBareRepo(tmp, { "README.md": "# demo\n", "src/app.js": "x\n" });
  const root = path.join(await tmp.make("patchboard-refill-"), "workspaces");
  const workspaces = createGitWorkspaces({ root, logger: silent, warmWorktrees: 2 });
  const repo = fixtureRepoConfig(remote.bare);
  // The harness registers `repo`; the task runs on the real workspaces over its remote.
  const h = domainHarness({}, repo);
  const deps: TaskDeps = {
    ...h.deps,
    workspaces,
    agent,
  };
  await workspaces.warmUp([repo]);
  return {
    workspaces,
    deps,
    store: h.store,
    warmParent: path.join(root, "warm", "acme__calc"),
    warmRoot: path.join(root, "warm"),
    mirror: path.join(root, "mirrors", "acme__calc.git"),
  };
}

let opened: World | null = null;

afterEach(async () => {
  await opened?.workspaces.stop(); // no refill may write into a removed directory
  opened = null;
  await tmp.cleanup();
});

describe("the warm pool's refill after a claim", () => {
  it("waits for the agent's first event: none runs while the agent starts", async () => {
    let endTurn = (): void => undefined;
    const fake = new FakeAgent(() => undefined).script({
      gate: new Promise((resolve) => {
        endTurn = resolve;
      }),
      error: new Error("turn ends here"),
    });
    const agent = new HeldAgent(fake);
    const w = (opened = await world(agent));
    expect(await warmCount(w)).toBe(2);
    const { task } = await w.store.create(promptTask("CALC-1"));
    const run = runTask(w.deps, task.id, new AbortController().signal);

    await entered(w, agent, task.id, run); // the worktree was claimed and the first turn sent
    // Any refill started by the claim would be running (or done) now: idle() waits for it.
    await w.workspaces.idle();
    expect(await readdir(w.warmParent)).toHaveLength(1);
    expect(await warmCount(w)).toBe(1);

    agent.release();
    await waitFor("the agent's first event stored", async () =>
      (await w.store.listEvents(task.id)).some((e) => e.type === "agent"),
    );
    // The event, not the run's end, started it: the turn is still held open.
    await waitFor("the pool refilled", async () => (await warmCount(w)) === 2);
    expect((await w.store.get(task.id))?.status).toBe("running");

    endTurn();
    await run;
    expect((await w.store.get(task.id))?.status).toBe("failed");
  });

  it("starts when the run ends without the agent having said anything", async () => {
    const agent = new HeldAgent(new FakeAgent(() => undefined), true);
    const w = (opened = await world(agent));
    const { task } = await w.store.create(promptTask("CALC-2"));
    const run = runTask(w.deps, task.id, new AbortController().signal);
    await entered(w, agent, task.id, run);
    await w.workspaces.idle();
    expect(await warmCount(w)).toBe(1);

    agent.release();
    await run;
    expect((await w.store.get(task.id))?.status).toBe("failed");
    expect((await w.store.listEvents(task.id)).filter((e) => e.type === "agent")).toEqual([]);
    await w.workspaces.idle();
    expect(await warmCount(w)).toBe(2);
  });
});

/** Waits for the agent's entry; a run that ended first fails the test with its last events. */
async function entered(w: World, agent: HeldAgent, taskId: string, run: Promise<unknown>) {
  const first = await Promise.race([agent.entered.then(() => "entered"), run.then(() => "ended")]);
  if (first === "ended") {
    const events = await w.store.listEvents(taskId);
    throw new Error(`the run ended before the agent started: ${JSON.stringify(events.slice(-3))}`);
  }
}

/** A free-form task (no ticket needed): its first turn is the agent's. */
function promptTask(key: string) {
  return calcFixTask(key, { kind: "prompt", ticketKey: null, prompt: "Rename x to y" });
}

function warmCount(w: World): Promise<number> {
  return countWarmWorktrees(w.warmRoot, w.mirror);
}

/** Waits until `check` holds, checking every 20 ms; fails saying what never happened. */
async function waitFor(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
