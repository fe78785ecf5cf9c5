import { pino } from "pino";
import { prepareEnvironment } from "../../../server/domain/environment/prepare-environment.js";
import type { RepoConfig } from "../../../server/domain/repo-config.js";
import { createFixTask } from "../../../server/domain/tasks/create-fix-task.js";
import { retryTask } from "../../../server/domain/tasks/retry-task.js";
import { analysisJson, CALC_REPO, domainHarness } from "../../support/fakes/domain-harness.js";
import { FakeEnvironments } from "../../support/fakes/fake-environments.js";
import { FakeSandbox } from "../../support/fakes/fake-sandbox.js";

const pm = { email: "pm@acme.test", name: "Pat", role: "pm" as const };
const SETUP_REPO: RepoConfig = {
  ...CALC_REPO,
  setupCommand: "npm ci",
  setupEnv: ["NPM_TOKEN"],
  instructions: "Run `npm run lint` too.",
};

async function fix(h: ReturnType<typeof domainHarness>) {
  h.tracker.add({ key: "CALC-1", summary: "Adding two numbers gives the wrong total" });
  const { task } = await createFixTask(h.deps, { ticketKey: "CALC-1", user: pm });
  await h.runner.idle();
  return { task: await h.store.get(task.id), events: await h.store.listEvents(task.id) };
}

describe("the task's prepared environment", () => {
  it("runs setup before the agent: isolated, with network, the basics and setupEnv only", async () => {
    const h = domainHarness({}, SETUP_REPO);
    h.sandbox.answer("npm ci", { output: ["added 3 packages\n"] });
    h.agent.script({ final: analysisJson() }, { writes: { "a.js": "x" }, final: "Done." });
    const { task, events } = await fix(h);
    expect(task?.status).toBe("completed");
    expect(h.sandbox.commands()).toEqual(["npm ci", "npm test", "npm test"]);
    const [setup, base, after] = h.sandbox.runs;
    expect(setup?.network).toBe(true);
    expect(Object.keys(setup?.env ?? {}).sort()).toEqual(
      [
        "CI",
        "HOME",
        "LANG",
        "LC_ALL",
        "NO_COLOR",
        "NPM_TOKEN",
        "PATH",
        "PIP_CACHE_DIR",
        "TMPDIR",
        "npm_config_cache",
      ].sort(),
    );
    expect(setup?.env.HOME).toBe(`/fake/environments/acme__calc/homes/${task?.id}`);
    expect(setup?.env.NPM_TOKEN).toBe("registry-token-for-setup");
    expect(setup?.timeoutMs).toBe(60_000);
    // Tests: no network, no setupEnv, the test time limit.
    for (const run of [base, after]) {
      expect(run?.network).toBe(false);
      expect(run?.env.NPM_TOKEN).toBeUndefined();
      expect(run?.timeoutMs).toBe(30_000);
    }
    const seqOf = (pred: (e: (typeof events)[number]) => boolean) => events.find(pred)?.seq ?? -1;
    const output = seqOf((e) => e.type === "task.output" && e.payload.source === "setup");
    expect(output).toBeGreaterThan(0);
    expect(output).toBeLessThan(seqOf((e) => e.type === "task.turn"));
    expect(h.agent.requests).toHaveLength(2);
  });

  it("streams setup output in a few chunks, not one event per write", async () => {
    const h = domainHarness({}, SETUP_REPO);
    const lines = Array.from({ length: 2000 }, (_, i) => `fetch package-${i}\n`);
    h.sandbox.answer("npm ci", { output: lines });
    h.agent.script({ final: analysisJson() }, { writes: { "a.js": "x" }, final: "Done." });
    const { events } = await fix(h);
    const chunks = events.flatMap((e) =>
      e.type === "task.output" && e.payload.source === "setup" ? [e.payload.text] : [],
    );
    expect(chunks.join("")).toBe(lines.join(""));
    expect(chunks.length).toBeLessThanOrEqual(Math.ceil(lines.join("").length / 8192) + 1);
    expect(chunks.length).toBeGreaterThan(1);
  });

  it("ends setup_failed with the output's tail when setup fails, before any agent turn", async () => {
    const h = domainHarness({}, SETUP_REPO);
    h.sandbox.answer(
      "npm ci",
      {
        exitCode: 1,
        output: [
          "npm ERR! code E404\n",
          "npm ERR! 404 Not Found - GET https://registry/left-pad\n",
        ],
      },
      { exitCode: 0 },
    );
    const { task } = await fix(h);
    expect(task?.status).toBe("setup_failed");
    expect(task?.error?.code).toBe("setup_failed");
    expect(task?.error?.message).toContain("`npm ci` exited with code 1");
    expect(task?.error?.message).toContain(
      "npm ERR! 404 Not Found - GET https://registry/left-pad",
    );
    expect(h.agent.requests).toHaveLength(0);
    expect(h.codeHost.pulls).toEqual([]);
    // A setup failure can be retried once the repository (or the registry) is fixed.
    h.agent.script({ final: analysisJson() }, { writes: { "a.js": "x" }, final: "Done." });
    await retryTask(h.deps, { taskId: task?.id ?? "", user: pm });
    await h.runner.idle();
    expect((await h.store.get(task?.id ?? ""))?.status).toBe("completed");
  });

  it("gives the repository's instructions on every turn and records what the agent was told", async () => {
    const h = domainHarness({}, SETUP_REPO);
    h.agent.script({ final: analysisJson() }, { writes: { "a.js": "x" }, final: "Done." });
    h.environments.files.set("/fake/worktrees/AGENTS.md", "unused");
    h.tracker.add({ key: "CALC-1" });
    const { task } = await createFixTask(h.deps, { ticketKey: "CALC-1", user: pm });
    h.environments.files.set(`/fake/worktrees/${task.id}/AGENTS.md`, "Use tabs.");
    await h.runner.idle();
    expect(h.agent.requests.map((r) => r.prompt.endsWith("Run `npm run lint` too."))).toEqual([
      true,
      true,
    ]);
    const context = (await h.store.listEvents(task.id)).find((e) => e.type === "task.context");
    expect(context?.payload).toEqual({
      agentsMd: "Use tabs.",
      instructions: "Run `npm run lint` too.",
    });
  });
});

describe("prepareEnvironment", () => {
  const deps = () => {
    const sandbox = new FakeSandbox();
    const environments = new FakeEnvironments();
    return {
      sandbox,
      environments,
      deps: {
        sandbox,
        environments,
        settings: { path: "/usr/bin", setupTimeoutMs: 1000, testTimeoutMs: 1000, setupEnv: {} },
        logger: pino({ level: "silent" }),
      },
    };
  };
  const input = (repo: RepoConfig, baseSha = "b1") => ({
    repo,
    workdir: "/w",
    baseSha,
    owner: "t1",
    pristine: true,
  });

  it("skips setup for the same fingerprint, runs it again when a lockfile changes", async () => {
    const { deps: d, sandbox, environments } = deps();
    expect((await prepareEnvironment(d, input(SETUP_REPO))).action).toBe("setup");
    expect((await prepareEnvironment(d, input(SETUP_REPO))).action).toBe("reused");
    environments.lockfiles.set("/w", "package-lock.json changed");
    expect((await prepareEnvironment(d, input(SETUP_REPO))).action).toBe("setup");
    // The setup command is part of the fingerprint too.
    expect(
      (await prepareEnvironment(d, input({ ...SETUP_REPO, setupCommand: "npm i" }))).action,
    ).toBe("setup");
    expect(sandbox.commands()).toEqual(["npm ci", "npm ci", "npm i"]);
  });

  it("runs maintenance instead of setup when the base moved, and nothing without setup", async () => {
    const { deps: d, sandbox } = deps();
    const repo = { ...SETUP_REPO, maintenanceCommand: "npm prune" };
    await prepareEnvironment(d, input(repo, "b1"));
    expect((await prepareEnvironment(d, input(repo, "b2"))).action).toBe("maintenance");
    expect((await prepareEnvironment(d, input(repo, "b2"))).action).toBe("reused");
    expect((await prepareEnvironment(d, input(CALC_REPO, "b3"))).action).toBe("none");
    expect(sandbox.commands()).toEqual(["npm ci", "npm prune"]);
  });

  it("does not record an environment whose setup failed or timed out", async () => {
    const { deps: d, sandbox, environments } = deps();
    sandbox.answer("npm ci", { timedOut: true, output: ["still resolving…"] });
    await expect(prepareEnvironment(d, input(SETUP_REPO))).rejects.toMatchObject({
      code: "setup_failed",
      message: expect.stringContaining("did not finish within 1.0 s (SETUP_TIMEOUT_MS)"),
    });
    expect(environments.states.size).toBe(0);
  });
});
