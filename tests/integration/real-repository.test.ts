import { TaskResponseSchema, type Task, type TaskEvent } from "../../shared/index.js";
import type { RepoConfig } from "../../server/domain/repo-config.js";
import type { FakeGitHub } from "../../server/sandbox/fake-github/index.js";
import type { Script } from "../../server/sandbox/scripted-model/index.js";
import type { Analysis } from "../../shared/analysis.js";
import { git, makeBareRepo, TempDirs, type BareRepo } from "../support/git-fixtures.js";
import { startPipelineServer, type PipelineServer } from "../support/pipeline-server.js";
import { filesOf, packPublished, upstreamPatch } from "../support/real-project.js";

/**
 * A real public project, not written here: minimist (MIT) at 1.2.5, the published version
 * before its upstream fix of CVE-2021-44906 (prototype pollution through `constructor`),
 * fetched from the npm registry at test time. Setup is a real `npm install` of its real
 * dev dependencies (~280 packages) in the isolated sandbox with the network on; the
 * scripted agent applies the real upstream change (1.2.5 → 1.2.6 of index.js and its test);
 * the server runs the project's own tape suite itself, network off, and judges.
 */
const SECRETS = {
  codexKey: "sk-real-repo-secret-5d1c",
  githubToken: "ghp_realRepoSecret0123456789",
  jiraToken: "jira-real-repo-secret-31",
  serviceToken: "svc-token-real-repo-0123456789",
  serverEnv: "server-env-secret-real-repo-9911",
};
const SETUP_ONLY = "setup-only-registry-token-77";
const TAPE = "node_modules/.bin/tape test/*.js";

const tmp = new TempDirs();
let world: PipelineServer;
let github: FakeGitHub;
let minimist: BareRepo;
let legacy: BareRepo;
let logLines: string[];

const ANALYSIS: Analysis = {
  fixable: true,
  rootCause:
    "setKey() only refuses `__proto__`; `constructor.prototype` still reaches Object.prototype.",
  plan: ["Refuse constructor functions' prototypes in setKey()", "Add a regression test"],
  files: ["index.js", "test/proto.js"],
  confidence: "high",
  notFixableReason: null,
};

function script(ticketKey: string, patch: string, claim: "honest" | "false"): Script {
  return {
    name: `real-${ticketKey}`,
    match: (ctx) => ctx.userMessages.some((m) => m.includes(ticketKey)),
    turns: [
      {
        match: /Step 1 of 2/,
        steps: [
          { kind: "shell", command: "cat index.js" },
          { kind: "json", value: ANALYSIS },
        ],
      },
      {
        match: /Step 2 of 2/,
        steps: [
          { kind: "patch", patch },
          claim === "honest"
            ? { kind: "shell", command: TAPE }
            : { kind: "shell", command: "echo 'npm test passed'" },
          { kind: "message", text: "Fixed setKey(); all tests pass." },
        ],
      },
    ],
  };
}

/** A change that looks like a fix but breaks numbers: `--x 5` stays a string. */
const WRONG_PATCH = [
  "*** Begin Patch",
  "*** Update File: index.js",
  "@@",
  "-    return /^[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(e[-+]?\\d+)?$/.test(x);",
  "+    return false;",
  "*** End Patch",
].join("\n");

const KNOWN_FAILURE = [
  "var test = require('tape');",
  "test('known failure: locale-aware parsing (tracked upstream)', function (t) {",
  "    t.equal('1,5', '1.5');",
  "    t.end();",
  "});",
  "",
].join("\n");

function repoConfig(jiraProject: string, name: string, bare: string): RepoConfig {
  return {
    jiraProject,
    github: `acme/${name}`,
    baseBranch: "main",
    cloneUrl: bare,
    testCommand: TAPE,
    reviewers: [],
    setupCommand: "npm install --no-audit --no-fund",
    setupEnv: ["PATCHBOARD_SETUP_TOKEN"],
    cacheKeyFiles: null,
    instructions: "Keep the ES5 style of the project.",
    testReport: { format: "tap", path: null },
  };
}

beforeAll(async () => {
  const scratch = await tmp.make("real-repo-");
  const before = packPublished(scratch, "minimist@1.2.5");
  const after = packPublished(scratch, "minimist@1.2.6");
  // The package leaves out the repository's .gitignore, which ignores node_modules.
  const files = { ...filesOf(before), ".gitignore": "node_modules\n" };
  minimist = await makeBareRepo(tmp, files);
  legacy = await makeBareRepo(tmp, { ...files, "test/known_failure.js": KNOWN_FAILURE });
  const envProbe = await makeBareRepo(tmp, { "README.md": "# probe\n" });
  const fix = upstreamPatch(before, after, ["index.js", "test/proto.js"], scratch);

  const ticket = (key: string) => ({
    key,
    summary: "Prototype pollution through constructor.prototype",
    description: "`--_.constructor.constructor.prototype.foo bar` sets Function.prototype.foo.",
  });
  process.env.PATCHBOARD_REAL_REPO_SECRET = SECRETS.serverEnv;
  world = await startPipelineServer({
    repos: [
      repoConfig("MIN", "minimist", minimist.bare),
      repoConfig("LEG", "legacy", legacy.bare),
      {
        jiraProject: "ENV",
        github: "acme/probe",
        baseBranch: "main",
        cloneUrl: envProbe.bare,
        testCommand: "true",
        reviewers: [],
        // Prints everything it can see of the server, then fails.
        setupCommand:
          "env; cat /proc/1/environ 2>/dev/null | tr '\\0' '\\n'; ls -a \"$HOME\"; echo setup-probe-done; exit 7",
        setupEnv: ["PATCHBOARD_SETUP_TOKEN"],
      },
    ],
    collaborators: [],
    tickets: [ticket("MIN-1"), ticket("MIN-2"), ticket("LEG-1"), ticket("ENV-1")],
    scripts: [
      script("MIN-1", fix, "honest"),
      script("MIN-2", WRONG_PATCH, "false"),
      script("LEG-1", fix, "honest"),
    ],
    apiTokens: [
      { token: SECRETS.serviceToken, user: { email: "pat@acme.test", name: "Pat", role: "pm" } },
    ],
    secrets: SECRETS,
    config: {
      logLevel: "debug",
      tasks: { setupTimeoutMs: 900_000, testTimeoutMs: 300_000 },
      // As in production: setup, the agent and the server's test run in bubblewrap.
      isolation: "bubblewrap",
      setupEnvValues: { PATCHBOARD_SETUP_TOKEN: SETUP_ONLY },
    },
    captureLogs: true,
    // One warm worktree per repository: prepared (npm install, the base's tests) in the background.
    services: { warmWorktrees: 1 },
  });
  ({ github, logLines } = world);
}, 600_000);

afterAll(async () => {
  delete process.env.PATCHBOARD_REAL_REPO_SECRET;
  await world?.close();
  await tmp.cleanup();
});

const api = (pathname: string, init: RequestInit = {}) => world.api(pathname, init);

async function fixTicket(ticketKey: string): Promise<{ task: Task; events: TaskEvent[] }> {
  const res = await api("/api/tasks", { method: "POST", body: JSON.stringify({ ticketKey }) });
  expect(res.status).toBe(202);
  const { id } = TaskResponseSchema.parse(await res.json()).task;
  return { task: await world.waitForTask(id), events: await world.events(id) };
}

function verdictOf(events: TaskEvent[]) {
  const found = events.flatMap((e) => (e.type === "task.tests" ? [e.payload.verdict] : []));
  expect(found).toHaveLength(1);
  return found[0];
}

const outputOf = (events: TaskEvent[], source: string) =>
  events
    .flatMap((e) =>
      e.type === "task.output" && e.payload.source === source ? [e.payload.text] : [],
    )
    .join("");

describe("a real public repository", () => {
  it("installs its dependencies, takes the upstream fix, passes its own suite on the server: ready", async () => {
    const { task, events } = await fixTicket("MIN-1");
    expect(task.error).toBeNull();
    expect(task).toMatchObject({ status: "completed", outcome: "pr_opened", testsPassed: true });
    expect(task.pullRequest?.draft).toBe(false);
    const verdict = verdictOf(events);
    expect(verdict).toMatchObject({
      ready: true,
      result: "passed",
      perTest: true,
      exitCode: 0,
      newFailures: [],
    });
    expect(verdict?.total).toBeGreaterThan(50);
    // The agent's own run of the suite passed too, with the dependencies setup installed.
    const agentRuns = events.flatMap((e) =>
      e.type === "agent" &&
      e.payload.type === "item.completed" &&
      e.payload.item.type === "command_execution"
        ? [e.payload.item]
        : [],
    );
    expect(agentRuns.find((c) => c.command.includes("tape"))?.exit_code).toBe(0);
    // The pushed branch holds the upstream fix and nothing of node_modules.
    const branch = task.branch ?? "";
    expect(git(minimist.bare, "show", `${branch}:index.js`)).toContain("isConstructorOrProto");
    expect(git(minimist.bare, "diff", "--name-only", "main", branch).split("\n").sort()).toEqual([
      "index.js",
      "test/proto.js",
    ]);
    const pr = github.pullRequests("acme/minimist")[0];
    expect(pr?.body).toContain("**passed**");
    // What the agent was told: the repository's instructions, on every turn.
    const turns = events.flatMap((e) => (e.type === "task.turn" ? [e.payload.prompt] : []));
    expect(turns.every((p) => p.includes("Keep the ES5 style of the project."))).toBe(true);
  }, 1_200_000);

  it("opens a wrong fix whose agent claims the tests passed as a draft naming the failures", async () => {
    const { task, events } = await fixTicket("MIN-2");
    expect(task).toMatchObject({ status: "completed", outcome: "pr_opened", testsPassed: false });
    expect(task.pullRequest?.draft).toBe(true);
    const verdict = verdictOf(events);
    expect(verdict).toMatchObject({ ready: false, result: "failed", perTest: true });
    expect(verdict?.newFailures.length).toBeGreaterThan(0);
    const pr = github
      .pullRequests("acme/minimist")
      .find((p) => p.number === task.pullRequest?.number);
    expect(pr?.body).toContain("New failures (passed on the base branch):");
    expect(pr?.body).toContain(
      "## Change (as the agent describes it)\n\nFixed setKey(); all tests pass.",
    );
  }, 1_200_000);

  it("opens a right fix ready in a repository whose base already fails, naming that failure", async () => {
    const { task, events } = await fixTicket("LEG-1");
    expect(task).toMatchObject({ status: "completed", outcome: "pr_opened", testsPassed: true });
    expect(task.pullRequest?.draft).toBe(false);
    const verdict = verdictOf(events);
    expect(verdict).toMatchObject({
      ready: true,
      result: "no_new_failures",
      newFailures: [],
      stillFailing: ["known failure: locale-aware parsing (tracked upstream)"],
    });
    expect(github.pullRequests("acme/legacy")[0]?.body).toContain(
      "Already failing on the base branch (not caused by this change):\n- known failure: locale-aware parsing (tracked upstream)",
    );
  }, 1_200_000);

  it("ends setup_failed when setup fails, and setup sees none of the server's secrets", async () => {
    const { task, events } = await fixTicket("ENV-1");
    expect(task.status).toBe("setup_failed");
    expect(task.error?.code).toBe("setup_failed");
    expect(task.error?.message).toContain("exited with code 7");
    expect(task.error?.message).toContain("setup-probe-done");
    const output = outputOf(events, "setup");
    expect(output).toContain("setup-probe-done");
    expect(output).toContain(`PATCHBOARD_SETUP_TOKEN=${SETUP_ONLY}`);
    expect(output).toMatch(/^HOME=.*\/homes\//m);
    const everything = [JSON.stringify(events), logLines.join("")].join("\n");
    for (const secret of Object.values(SECRETS)) expect(everything).not.toContain(secret);
    expect(events.some((e) => e.type === "task.turn")).toBe(false);
  }, 600_000);
});
