import { AppError } from "../../../server/domain/app-error.js";
import { cancelTask } from "../../../server/domain/tasks/cancel-task.js";
import { createFixTask } from "../../../server/domain/tasks/create-fix-task.js";
import { createPromptTask } from "../../../server/domain/tasks/create-prompt-task.js";
import { retryTask } from "../../../server/domain/tasks/retry-task.js";
import { sendFollowUp } from "../../../server/domain/tasks/send-follow-up.js";
import { analysisJson, domainHarness, SMALL_FIX_TURN } from "../../support/fakes/domain-harness.js";

const pm = { email: "pm@acme.test", name: "Pat", role: "pm" as const };
const eng = { email: "eng@acme.test", name: "Eve", role: "engineer" as const };

describe("task lifecycle", () => {
  it("returns the active task instead of a second one for the same ticket", async () => {
    const h = domainHarness();
    h.tracker.add({ key: "CALC-1" });
    h.agent.script({ hang: true, final: "" });
    const first = await createFixTask(h.deps, { ticketKey: "CALC-1", user: pm });
    const second = await createFixTask(h.deps, { ticketKey: "CALC-1", user: pm });
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.task.id).toBe(first.task.id);
    expect(h.store.all()).toHaveLength(1);
    await cancelTask(h.deps, { taskId: first.task.id, user: pm });
    await h.runner.idle();
  });

  it("refuses tickets of unmapped projects (422) and unknown tickets (404)", async () => {
    const h = domainHarness();
    await expect(createFixTask(h.deps, { ticketKey: "OPS-1", user: pm })).rejects.toMatchObject({
      code: "repo_not_configured",
      status: 422,
    });
    await expect(createFixTask(h.deps, { ticketKey: "CALC-404", user: pm })).rejects.toMatchObject({
      code: "not_found",
      status: 404,
    });
    expect(h.store.all()).toEqual([]);
  });

  it("cancels a running turn and ends the task cancelled", async () => {
    const h = domainHarness();
    h.tracker.add({ key: "CALC-1" });
    h.agent.script({ hang: true, final: "" });
    const { task } = await createFixTask(h.deps, { ticketKey: "CALC-1", user: pm });
    await vi.waitFor(async () => expect((await h.store.get(task.id))?.phase).toBe("analyzing"));
    await cancelTask(h.deps, { taskId: task.id, user: pm });
    await h.runner.idle();
    const ended = await h.store.get(task.id);
    expect(ended?.status).toBe("cancelled");
    expect(ended?.finishedAt).not.toBeNull();
    const audit = (await h.store.listEvents(task.id)).filter((e) => e.type === "task.request");
    expect(audit.map((e) => e.payload)).toEqual([
      { action: "create", message: null, by: pm.email },
      { action: "cancel", message: null, by: pm.email },
    ]);
    const requests = await h.store.listRequests(task.id);
    expect(requests.map(({ action, by, previous }) => ({ action, by, previous }))).toEqual([
      { action: "create", by: pm.email, previous: null },
      { action: "cancel", by: pm.email, previous: null },
    ]);
    await expect(cancelTask(h.deps, { taskId: task.id, user: pm })).rejects.toMatchObject({
      code: "task_not_running",
    });
  });

  it("retries a failed publish without asking the agent again, opening one pull request", async () => {
    const h = domainHarness();
    h.tracker.add({ key: "CALC-1" });
    h.agent.script({ final: analysisJson() }, SMALL_FIX_TURN);
    h.codeHost.failCreateOnce = new AppError("github_unavailable", "GitHub is down");
    const { task } = await createFixTask(h.deps, { ticketKey: "CALC-1", user: pm });
    await h.runner.idle();
    expect(await h.store.get(task.id)).toMatchObject({ status: "failed", phase: "publishing" });

    await retryTask(h.deps, { taskId: task.id, user: pm });
    await h.runner.idle();
    expect(await h.store.get(task.id)).toMatchObject({ status: "completed", outcome: "pr_opened" });
    expect(h.agent.requests).toHaveLength(2);
    expect(h.codeHost.pulls).toHaveLength(1);
    expect(h.tracker.comments).toHaveLength(1);
  });

  it("refuses to retry a completed task", async () => {
    const h = domainHarness();
    h.tracker.add({ key: "CALC-1" });
    h.agent.script({ final: analysisJson() }, { final: "nothing" });
    const { task } = await createFixTask(h.deps, { ticketKey: "CALC-1", user: pm });
    await h.runner.idle();
    await expect(retryTask(h.deps, { taskId: task.id, user: pm })).rejects.toMatchObject({
      code: "task_not_retryable",
      status: 409,
    });
  });

  it("runs a follow-up on the same thread and comments on the same pull request", async () => {
    const h = domainHarness();
    h.tracker.add({ key: "CALC-1" });
    h.agent.script({ final: analysisJson() }, SMALL_FIX_TURN, {
      writes: { "a.test.js": "test" },
      commands: [{ command: "npm test", exitCode: 0 }],
      final: "added a test",
    });
    const { task } = await createFixTask(h.deps, { ticketKey: "CALC-1", user: pm });
    await h.runner.idle();
    await sendFollowUp(h.deps, {
      taskId: task.id,
      message: "also add a regression test",
      user: eng,
    });
    await h.runner.idle();

    const done = await h.store.get(task.id);
    expect(done).toMatchObject({ status: "completed", outcome: "pr_opened" });
    expect(h.agent.requests[2]?.threadId).toBe("thread-1");
    expect(h.agent.requests[2]?.prompt).toContain("also add a regression test");
    expect(h.codeHost.pulls).toHaveLength(1);
    expect(h.workspaces.pushes).toHaveLength(2);
    expect(h.codeHost.comments).toHaveLength(1);
    expect(h.codeHost.comments[0]?.body).toContain("also add a regression test");
    expect(h.codeHost.comments[0]?.body).toContain("added a test");
    expect(h.tracker.comments).toHaveLength(1);
  });

  it("refuses a follow-up while running and without a thread", async () => {
    const h = domainHarness();
    h.tracker.add({ key: "CALC-1" });
    h.agent.script({ hang: true, final: "" });
    const { task } = await createFixTask(h.deps, { ticketKey: "CALC-1", user: pm });
    await expect(
      sendFollowUp(h.deps, { taskId: task.id, message: "more", user: eng }),
    ).rejects.toMatchObject({ code: "conflict" });
    await cancelTask(h.deps, { taskId: task.id, user: pm });
    await h.runner.idle();

    // Cancelled while still queued: the agent never started, so there is no thread.
    const { task: queued } = await h.store.create({
      kind: "fix",
      ticketKey: "CALC-2",
      repo: "acme/calc",
      baseBranch: "main",
      branch: "codex/calc-2",
      prompt: null,
      instructions: null,
      createdBy: pm.email,
      ticketSnapshot: null,
    });
    await cancelTask(h.deps, { taskId: queued.id, user: pm });
    expect((await h.store.get(queued.id))?.status).toBe("cancelled");
    await expect(
      sendFollowUp(h.deps, { taskId: queued.id, message: "more", user: eng }),
    ).rejects.toMatchObject({ code: "task_has_no_thread" });
  });

  it("answers a free-form prompt without publishing when nothing changed", async () => {
    const h = domainHarness();
    h.agent.script({ final: "The CI failures come from a flaky clock test." });
    const task = await createPromptTask(h.deps, {
      prompt: "Analyze the test failures",
      repo: "ACME/calc",
      user: eng,
    });
    await h.runner.idle();
    expect(await h.store.get(task.id)).toMatchObject({
      status: "completed",
      outcome: "answered",
      summary: "The CI failures come from a flaky clock test.",
      branch: `codex/task-${task.id.slice(0, 8)}`,
    });
    expect(h.agent.requests[0]?.prompt).toContain("Analyze the test failures");
    await expect(
      createPromptTask(h.deps, { prompt: "x", repo: "acme/other", user: eng }),
    ).rejects.toMatchObject({ code: "repo_not_configured" });
  });
});

describe("task runner", () => {
  it("runs at most the configured number of tasks at once, the rest in order", async () => {
    const h = domainHarness();
    let running = 0;
    let peak = 0;
    const order: string[] = [];
    const original = h.agent.runTurn.bind(h.agent);
    h.agent.runTurn = async (request) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 10));
      running -= 1;
      return original(request);
    };
    for (let i = 1; i <= 6; i += 1) {
      h.tracker.add({ key: `CALC-${i}` });
      h.agent.script({ final: analysisJson({ fixable: false, notFixableReason: "n/a" }) });
    }
    for (let i = 1; i <= 6; i += 1) {
      const { task } = await createFixTask(h.deps, { ticketKey: `CALC-${i}`, user: pm });
      order.push(task.id);
    }
    await h.runner.idle();
    expect(peak).toBe(2);
    const started = h.store
      .all()
      .sort((a, b) => (a.startedAt ?? "").localeCompare(b.startedAt ?? ""));
    expect(started.map((t) => t.id)).toEqual(order);
    expect(h.store.all().every((t) => t.status === "completed")).toBe(true);
  });

  it("on start, queues what was queued and fails what was left running as interrupted", async () => {
    const h = domainHarness();
    h.tracker.add({ key: "CALC-1" });
    h.tracker.add({ key: "CALC-2" });
    const a = await h.store.create({
      kind: "fix",
      ticketKey: "CALC-1",
      repo: "acme/calc",
      baseBranch: "main",
      branch: "codex/calc-1",
      prompt: null,
      instructions: null,
      createdBy: pm.email,
      ticketSnapshot: null,
    });
    await h.store.transition(a.task.id, ["queued"], { status: "running" });
    const b = await h.store.create({
      kind: "prompt",
      ticketKey: null,
      repo: "acme/calc",
      baseBranch: "main",
      branch: "codex/task-b",
      prompt: "hello",
      instructions: null,
      createdBy: pm.email,
      ticketSnapshot: null,
    });
    h.agent.script({ final: "hi" });
    await h.runner.start();
    await h.runner.idle();
    expect(await h.store.get(a.task.id)).toMatchObject({
      status: "failed",
      error: { code: "interrupted" },
    });
    expect(await h.store.get(b.task.id)).toMatchObject({
      status: "completed",
      outcome: "answered",
    });
  });
});

describe("publishing after a Jira outage", () => {
  it("links the pull request on the ticket when a retry finds the PR already open", async () => {
    const h = domainHarness();
    h.tracker.add({ key: "CALC-1" });
    h.agent.script({ final: analysisJson() }, SMALL_FIX_TURN);
    h.tracker.commentError = new AppError("jira_unavailable", "Jira is down");
    const { task } = await createFixTask(h.deps, { ticketKey: "CALC-1", user: pm });
    await h.runner.idle();
    expect(await h.store.get(task.id)).toMatchObject({
      status: "failed",
      error: { code: "jira_unavailable" },
    });
    expect(h.codeHost.pulls).toHaveLength(1);

    h.tracker.commentError = null;
    await retryTask(h.deps, { taskId: task.id, user: pm });
    await h.runner.idle();
    expect(await h.store.get(task.id)).toMatchObject({ status: "completed", outcome: "pr_opened" });
    expect(h.codeHost.pulls).toHaveLength(1);
    expect(h.tracker.comments).toHaveLength(1);
    expect(h.tracker.comments[0]?.body).toContain(h.codeHost.pulls[0]?.url);
  });
});
