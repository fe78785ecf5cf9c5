import { ErrorBodySchema } from "../../shared/errors.js";
import { TaskResponseSchema, type Task } from "../../shared/task.js";
import type { Script, ScriptContext, StepSpec } from "../../server/sandbox/scripted-model/index.js";
import { SUM_FIX_PATCH } from "../support/codex-fixtures.js";
import { CALC_ANALYSIS } from "../support/codex-scripts.js";
import { git } from "../support/git-fixtures.js";
import {
  calcTickets,
  startReliabilityEnv,
  type ReliabilityEnv,
} from "../support/reliability-env.js";
import { HOLD_MS, ticketOf } from "../support/reliability-scripts.js";
import { spawnServer, type ServerProcess } from "../support/reliability-server.js";
import { waitForTaskEnd } from "../support/task-stream.js";

// Issue 13's "how we will know", asked from outside: `server/main.ts` in production mode
// as a process of its own, on the fake Jira and GitHub (real HTTP servers), the scripted
// model driving the real Codex binary and a real bare remote. The probes speak to it only
// with fetch, as any client would; the in-process suites (security-run-limit,
// security-ownership, security-publish-guard-git, security-redaction) test the decisions.

/** Runs per person per minute: small, so a click that wrongly counted would show as a 429. */
const RUN_LIMIT = 3;
const TALKED_TOKEN = `ghp_${"Pr0".repeat(12)}`;
const OTHER_TOKEN = `ghp_${"Xy7".repeat(12)}`;
/** The token the agent of {@link UNSAFE_TICKET} hides in a file marked `-diff`. */
const HIDDEN_TOKEN = `ghp_${"Hd5".repeat(12)}`;

/** One person per probe, so no probe spends another's run budget. */
const PEOPLE = {
  limited: { token: "probe-limited-pm-token-0123456789", email: "limited@acme.test", role: "pm" },
  clicker: { token: "probe-clicker-pm-token-0123456789", email: "clicker@acme.test", role: "pm" },
  guarded: {
    token: "probe-guarded-eng-token-012345678",
    email: "guarded@acme.test",
    role: "engineer",
  },
  talker: {
    token: "probe-talker-eng-token-0123456789",
    email: "talker@acme.test",
    role: "engineer",
  },
  owner: { token: "probe-owner-eng-token-01234567890", email: "owner@acme.test", role: "engineer" },
  pm: { token: "probe-other-pm-token-012345678901", email: "otherpm@acme.test", role: "pm" },
} as const;
type Person = keyof typeof PEOPLE;

/** Tickets whose every turn the model holds, so their task stays active until cancelled. */
const HELD = new Set(["CALC-11", "CALC-12", "CALC-13", "CALC-14", "CALC-21", "CALC-51"]);
const UNSAFE_TICKET = "CALC-31";
const TALKING_TICKET = "CALC-41";

/** What the agent of {@link UNSAFE_TICKET} runs: a quoted workflow, a tab, a hidden token. */
const WRITE_UNSAFE = [
  "mkdir -p .github/workflows",
  `printf 'on: push\\n' > '.github/workflows/ci".yml'`,
  `printf 'x\\n' > "src/a$(printf '\\t')b.js"`,
  `printf 'deploy with %s\\n' '${HIDDEN_TOKEN}' > notes.txt`,
].join(" && ");

function heldTicket(ctx: ScriptContext): boolean {
  return HELD.has(ticketOf(ctx) ?? "");
}

function fixTurnCommand(ctx: ScriptContext): StepSpec {
  return ticketOf(ctx) === UNSAFE_TICKET
    ? { kind: "shell", command: WRITE_UNSAFE }
    : { kind: "shell", command: "node --test" };
}

const probeScript: Script = {
  name: "outside-probe",
  match: /CALC-\d+/,
  turns: [
    {
      // Whatever the prompt (analysis, retry), a held ticket's turn waits on the model.
      match: heldTicket,
      steps: [{ kind: "shell", command: "cat src/sum.js", delayMs: HOLD_MS }],
    },
    {
      match: /analy[sz]e only/i,
      steps: [
        { kind: "shell", command: "cat src/sum.js" },
        (ctx) => ({
          kind: "json",
          value:
            ticketOf(ctx) === TALKING_TICKET
              ? {
                  ...CALC_ANALYSIS,
                  rootCause: `sum() subtracts; the deploy key is ${TALKED_TOKEN}`,
                }
              : CALC_ANALYSIS,
        }),
      ],
    },
    {
      match: /implement the fix/i,
      steps: [
        { kind: "patch", patch: SUM_FIX_PATCH },
        fixTurnCommand,
        (ctx) => ({
          kind: "message",
          text:
            ticketOf(ctx) === TALKING_TICKET
              ? `Fixed sum() to add. Push with ${OTHER_TOKEN} if asked.`
              : "Fixed sum() to add.",
        }),
      ],
    },
  ],
};

let world: ReliabilityEnv;
let server: ServerProcess;

beforeAll(async () => {
  world = await startReliabilityEnv({
    scripts: [probeScript],
    tickets: calcTickets(60),
    // The agent's worktree starts with notes.txt marked binary for diffs.
    repoFiles: { ".gitattributes": "notes.txt -diff\n", "notes.txt": "notes\n" },
    env: {
      TASK_RATE_LIMIT_PER_MINUTE: String(RUN_LIMIT),
      PATCHBOARD_API_TOKENS: Object.values(PEOPLE)
        .map((p) => `${p.token}:${p.email}:${p.role}`)
        .join(","),
    },
  });
  server = await spawnServer(world.env);
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await world?.close();
});

interface Answer {
  status: number;
  body: unknown;
}

/** A request as `who`, with a JSON body; the answer's status and parsed body. */
async function call(
  who: Person,
  method: string,
  pathname: string,
  body?: unknown,
): Promise<Answer> {
  const res = await fetch(`${server.url}${pathname}`, {
    method,
    headers: {
      Authorization: `Bearer ${PEOPLE[who].token}`,
      "Content-Type": "application/json",
      Accept: "application/json",
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text === "" ? null : (JSON.parse(text) as unknown) };
}

const post = (who: Person, pathname: string, body: unknown = {}) =>
  call(who, "POST", pathname, body);

function taskOf(answer: Answer): Task {
  if (answer.status !== 200 && answer.status !== 202) {
    throw new Error(`expected a task, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  return TaskResponseSchema.parse(answer.body).task;
}

function errorOf(answer: Answer): string {
  return `${answer.status} ${ErrorBodySchema.parse(answer.body).error.code}`;
}

async function readTask(id: string): Promise<Task> {
  return taskOf(await call("owner", "GET", `/api/tasks/${id}`));
}

/** Waits on the task's event stream until its run ended; returns the task then. */
async function ended(id: string): Promise<Task> {
  await waitForTaskEnd(`${server.url}/api/tasks/${id}/events`, PEOPLE.owner.token);
  return readTask(id);
}

/** Cancels a held task as an engineer and waits until its run stopped. */
async function cancelled(id: string): Promise<Task> {
  expect((await post("owner", `/api/tasks/${id}/cancel`)).status).toBe(202);
  return ended(id);
}

async function requestsOf(id: string): Promise<string[]> {
  const answer = await call("owner", "GET", `/api/tasks/${id}/events`);
  const { events } = answer.body as { events: { type: string; payload: unknown }[] };
  return events
    .filter((e) => e.type === "task.request")
    .map((e) => {
      const payload = e.payload as { action: string; by: string };
      return `${payload.action} by ${payload.by}`;
    });
}

describe("a production server probed from outside over HTTP", () => {
  it("holds the per-person run limit across the path's case variants", async () => {
    const first = taskOf(await post("limited", "/api/tasks", { ticketKey: "CALC-11" }));
    expect((await cancelled(first.id)).status).toBe("cancelled");
    const second = taskOf(await post("limited", "/API/TASKS", { ticketKey: "CALC-12" }));
    expect((await cancelled(second.id)).status).toBe("cancelled");
    expect((await post("limited", `/api/Tasks/${first.id}/RETRY`)).status).toBe(202);
    expect((await cancelled(first.id)).status).toBe("cancelled");

    // Three runs spent: every spelling is refused, with the contract's error and Retry-After.
    const refused = [
      await post("limited", "/api/tasks", { ticketKey: "CALC-13" }),
      await post("limited", "/API/TASKS", { ticketKey: "CALC-13" }),
      await post("limited", "/api/Tasks", { ticketKey: "CALC-14" }),
      await post("limited", `/api/Tasks/${first.id}/RETRY`),
      await post("limited", `/API/tasks/${second.id}/retry`),
    ];
    expect(refused.map(errorOf)).toEqual(Array<string>(5).fill("429 rate_limited"));
    expect(await requestsOf(first.id)).toEqual([
      "create by limited@acme.test",
      "cancel by owner@acme.test",
      "retry by limited@acme.test",
      "cancel by owner@acme.test",
    ]);
    expect(await requestsOf(second.id)).toEqual([
      "create by limited@acme.test",
      "cancel by owner@acme.test",
    ]);
    // No task was made for the refused tickets.
    const list = await call("owner", "GET", "/api/tasks?limit=100");
    const keys = (list.body as { tasks: Task[] }).tasks.map((t) => t.ticketKey);
    expect(keys.filter((k) => k === "CALC-13" || k === "CALC-14")).toEqual([]);
  });

  it("answers 20 concurrent Fix clicks by one person with one task, never a 429", async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => post("clicker", "/api/tasks", { ticketKey: "CALC-21" })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([...Array<number>(19).fill(200), 202]);
    const ids = new Set(answers.map((a) => taskOf(a).id));
    expect(ids.size).toBe(1);
    const [id = ""] = [...ids];
    expect(await requestsOf(id)).toEqual(["create by clicker@acme.test"]);
    expect((await cancelled(id)).status).toBe("cancelled");
  });

  it("pushes none of a quoted workflow name, a tab in a name or a token in a -diff file", async () => {
    const created = taskOf(await post("guarded", "/api/tasks", { ticketKey: UNSAFE_TICKET }));
    const done = await ended(created.id);
    expect([done.status, done.error?.code, done.pullRequest]).toEqual([
      "failed",
      "publish_refused",
      null,
    ]);
    expect(done.error?.message).toBe(
      "Patchboard refused to push this change: " +
        '".github/workflows/ci\\".yml" has a quote, backslash, tab, control character or bytes that are not UTF-8 in its name; ' +
        '.github/workflows/ci".yml is a protected path (.github/**); ' +
        "notes.txt adds something that looks like a secret (GitHub token); " +
        '"src/a\\tb.js" has a quote, backslash, tab, control character or bytes that are not UTF-8 in its name. ' +
        "Nothing was pushed; a person must make this change.",
    );
    // The remote has no branch of the task, and no object holding any of its change.
    const branch = done.branch ?? "";
    expect(branch.startsWith("codex/calc-31-")).toBe(true);
    expect(git(world.repo.bare, "for-each-ref", `refs/heads/${branch}`)).toBe("");
    const objects = git(world.repo.bare, "cat-file", "--batch-all-objects", "--batch");
    expect(objects.includes(HIDDEN_TOKEN)).toBe(false);
    expect(objects.includes("on: push")).toBe(false);
    expect(
      world.github.pullRequests("acme/calc").filter((pr) => pr.head.ref === done.branch),
    ).toEqual([]);
  });

  it("sends a token in the agent's words to neither Jira nor GitHub", async () => {
    const created = taskOf(await post("talker", "/api/tasks", { ticketKey: TALKING_TICKET }));
    const done = await ended(created.id);
    expect([done.status, done.outcome]).toEqual(["completed", "pr_opened"]);
    const pulls = world.github
      .pullRequests("acme/calc")
      .filter((pr) => pr.head.ref === done.branch);
    expect(pulls.map((pr) => pr.html_url)).toEqual([done.pullRequest?.url]);
    const github = JSON.stringify({
      pulls,
      comments: pulls.map((pr) => world.github.comments("acme/calc", pr.number)),
    });
    const jira = JSON.stringify(world.jira.comments(TALKING_TICKET));
    const pushed = git(world.repo.bare, "log", "--format=%B", `main..${done.branch ?? ""}`);
    for (const sent of [github, jira, pushed]) {
      expect([sent.includes(TALKED_TOKEN), sent.includes(OTHER_TOKEN)]).toEqual([false, false]);
    }
    // The words did go out, with the token replaced.
    expect(github).toContain("the deploy key is [redacted: GitHub token]");
    expect(jira).toContain(done.pullRequest?.url ?? "<no pull request>");
  });

  it("lets a PM neither cancel nor retry an engineer's task; the engineer can", async () => {
    const task = taskOf(await post("owner", "/api/tasks", { ticketKey: "CALC-51" }));
    const cancel = await post("pm", `/api/tasks/${task.id}/cancel`);
    expect(errorOf(cancel)).toBe("403 forbidden");
    // The refusal recorded nothing: the task's only request is still its creation.
    expect(await requestsOf(task.id)).toEqual(["create by owner@acme.test"]);
    expect((await cancelled(task.id)).status).toBe("cancelled");
    const retry = await post("pm", `/api/tasks/${task.id}/retry`);
    expect(errorOf(retry)).toBe("403 forbidden");
    expect((await readTask(task.id)).status).toBe("cancelled");
    expect((await post("owner", `/api/tasks/${task.id}/retry`)).status).toBe(202);
    expect((await cancelled(task.id)).status).toBe("cancelled");
    expect(await requestsOf(task.id)).toEqual([
      "create by owner@acme.test",
      "cancel by owner@acme.test",
      "retry by owner@acme.test",
      "cancel by owner@acme.test",
    ]);
  });
});
