// @vitest-environment jsdom
import "../../support/web-setup.js";
import { act, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import { TaskResponseSchema } from "../../../shared/index.js";
import type { Task } from "../../../shared/index.js";
import { FakeEventSource } from "../../support/web-event-source.js";
import { apiError, empty, json, never, text } from "../../support/web-fetch.js";
import type { FakeServer } from "../../support/web-fetch.js";
import { TASK_ID, USERS, makeEvent, makeTask } from "../../support/web-fixtures.js";
import { fakeServer, renderApp } from "../../support/web-render.js";

const PATH = `/tasks/${TASK_ID}`;
const API = `/api/tasks/${TASK_ID}`;

const DIFF = `diff --git a/src/calc.ts b/src/calc.ts
index 1111111..2222222 100644
--- a/src/calc.ts
+++ b/src/calc.ts
@@ -10,3 +10,4 @@ export function divide(a: number, b: number) {
-  return a / b;
+  if (b === 0) throw new RangeError("Division by zero");
+  return a / b;
 }
diff --git a/test/calc.test.ts b/test/calc.test.ts
new file mode 100644
--- /dev/null
+++ b/test/calc.test.ts
@@ -0,0 +1,1 @@
+it("refuses to divide by zero", () => {});
`;

/** Serves the task from a variable the test can change (as the server's state changes). */
function serveTask(server: FakeServer, initial: Task) {
  let task = initial;
  server.get(API, () => json(TaskResponseSchema, { task }));
  server.get(`${API}/diff`, () => text(DIFF));
  return {
    set(next: Partial<Task>) {
      task = makeTask({ ...task, ...next });
    },
  };
}

const analysis = {
  fixable: true,
  rootCause: "divide() does not check for a zero divisor.",
  plan: ["Guard against zero", "Add a regression test"],
  files: ["src/calc.ts"],
  confidence: "high" as const,
  notFixableReason: null,
};

beforeEach(() => {
  FakeEventSource.install();
});

describe("Task page", () => {
  it("shows a loading state", async () => {
    const server = fakeServer(USERS.pm);
    server.get(API, () => never());
    renderApp(PATH, server);
    expect(await screen.findByText("Loading the task…")).toBeInTheDocument();
  });

  it("shows a not-found error with its code", async () => {
    const server = fakeServer(USERS.pm);
    server.get(API, () => apiError(404, "not_found", "No such task."));
    renderApp(PATH, server);
    expect(await screen.findByRole("heading", { name: "Task not found" })).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("not_found");
    expect(screen.getByRole("button", { name: "Retry" })).toBeInTheDocument();
  });

  it("follows a running task live: phase, to-do, commands, files, messages", async () => {
    const server = fakeServer(USERS.pm);
    serveTask(server, makeTask({ status: "running", phase: "fixing" }));
    renderApp(PATH, server);

    expect(
      await screen.findByRole("heading", { name: "Division by zero crashes the calculator" }),
    ).toBeInTheDocument();
    expect(screen.getByRole("status", { name: "Task status" })).toHaveTextContent(
      "Running: Fixing",
    );
    const stepper = screen.getByRole("list", { name: "Progress" });
    expect(
      within(stepper)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual([
      "✓Queued (done)",
      "✓Preparing environment (done)",
      "✓Analyzing (done)",
      "4Fixing",
      "5Publishing",
      "6Done",
    ]);
    expect(within(stepper).getByText("Fixing").closest("li")).toHaveAttribute(
      "aria-current",
      "step",
    );
    expect(screen.getByRole("button", { name: "Cancel" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Retry" })).toBeNull();
    // Product managers do not get the follow-up box.
    expect(screen.queryByLabelText("Message to the agent")).toBeNull();

    const stream = FakeEventSource.latest();
    expect(stream.url).toBe(`${API}/events`);
    act(() => {
      stream.emit(
        makeEvent(1, {
          type: "task.turn",
          payload: { kind: "fix", prompt: "Fix CALC-12 as analyzed.", requestedBy: null },
        }),
        makeEvent(2, {
          type: "agent",
          payload: {
            type: "item.completed",
            item: {
              id: "t1",
              type: "todo_list",
              items: [
                { text: "Read divide()", completed: true },
                { text: "Add a guard", completed: false },
              ],
            },
          },
        }),
        makeEvent(3, {
          type: "agent",
          payload: {
            type: "item.started",
            item: {
              id: "c1",
              type: "command_execution",
              command: "npm test",
              aggregated_output: "",
              status: "in_progress",
            },
          },
        }),
        makeEvent(4, {
          type: "agent",
          payload: {
            type: "item.completed",
            item: {
              id: "c1",
              type: "command_execution",
              command: "npm test",
              aggregated_output: "1 failing\nexpected RangeError",
              exit_code: 1,
              status: "failed",
            },
          },
        }),
        makeEvent(5, {
          type: "agent",
          payload: {
            type: "item.completed",
            item: {
              id: "f1",
              type: "file_change",
              changes: [{ path: "src/calc.ts", kind: "update" }],
              status: "completed",
            },
          },
        }),
        makeEvent(6, {
          type: "agent",
          payload: {
            type: "item.completed",
            item: { id: "r1", type: "reasoning", text: "The guard belongs in divide()." },
          },
        }),
        makeEvent(7, {
          type: "agent",
          payload: {
            type: "item.completed",
            item: { id: "m1", type: "agent_message", text: "I added a **guard**." },
          },
        }),
      );
    });

    expect(screen.getByText("Live")).toBeInTheDocument();
    // Commands, files and messages are read in the timeline, never announced.
    expect(screen.getByRole("status", { name: "Task status" }).textContent).toBe(
      "Running: Fixing.",
    );
    const todo = screen.getByRole("region", { name: "To-do" });
    expect(todo).toHaveTextContent("1 of 2 done");
    expect(within(todo).getByText("Read divide()").closest("li")).toHaveTextContent("(done)");
    // One entry per command, updated in place, with its exit code and folded output.
    expect(screen.getAllByText("npm test")).toHaveLength(1);
    expect(screen.getByText("exit 1")).toBeInTheDocument();
    const output = screen.getByText("Output (2 lines)").closest("details")!;
    expect(output).not.toHaveAttribute("open");
    expect(output).toHaveTextContent("expected RangeError");
    const files = screen.getByRole("region", { name: "Files changed" });
    expect(files).toHaveTextContent("modified");
    expect(files).toHaveTextContent("src/calc.ts");
    expect(screen.getByText("The guard belongs in divide().")).toBeInTheDocument();
    expect(screen.getByText("guard").tagName).toBe("STRONG");
    expect(screen.getByText("Prompt given to the agent")).toBeInTheDocument();
  });

  it("refetches on status and pull-request events, and closes the stream at the end", async () => {
    const server = fakeServer(USERS.pm);
    const task = serveTask(server, makeTask({ status: "running", phase: "publishing" }));
    renderApp(PATH, server);
    await screen.findByRole("heading", { name: /Division by zero/ });
    const stream = FakeEventSource.latest();
    const before = server.callsTo("GET", API).length;

    const pullRequest = { url: "https://github.com/acme/calc/pull/7", number: 7, draft: true };
    task.set({
      status: "completed",
      phase: "done",
      outcome: "pr_opened",
      pullRequest,
      analysis,
      summary: "Guarded the divisor and added a test.",
      finishedAt: new Date().toISOString(),
    });
    act(() => {
      stream.emit(
        makeEvent(1, { type: "task.pull_request", payload: { pullRequest, created: true } }),
        makeEvent(2, {
          type: "task.status",
          payload: { status: "completed", phase: "done", outcome: "pr_opened", error: null },
        }),
      );
    });

    const link = await screen.findByRole("link", { name: /Open pull request/ });
    expect(link).toHaveAttribute("href", pullRequest.url);
    expect(screen.getByText("Draft")).toBeInTheDocument();
    expect(server.callsTo("GET", API).length).toBeGreaterThan(before);
    // The status change and the pull request's arrival, said once in the one live region.
    await waitFor(() =>
      expect(screen.getByRole("status", { name: "Task status" }).textContent).toBe(
        "Completed. Pull request #7 opened.",
      ),
    );
    expect(screen.getAllByRole("status").filter((el) => el.closest("[aria-live]"))).toHaveLength(1);
    expect(screen.queryByRole("button", { name: "Cancel" })).toBeNull();

    act(() => stream.end());
    expect(stream.closed).toBe(true);
    expect(screen.getByText("Up to date")).toBeInTheDocument();
  });

  it("shows a completed task: outcome, analysis, diff per file, usage and cost", async () => {
    const server = fakeServer(USERS.pm);
    serveTask(
      server,
      makeTask({
        status: "completed",
        phase: "done",
        outcome: "pr_opened",
        pullRequest: { url: "https://github.com/acme/calc/pull/7", number: 7, draft: false },
        analysis,
        summary: "Guarded the divisor.",
        testsPassed: true,
        finishedAt: new Date().toISOString(),
      }),
    );
    renderApp(PATH, server);

    expect(await screen.findByRole("heading", { name: "Pull request opened" })).toBeInTheDocument();
    expect(screen.getByText("Pull request #7")).toBeInTheDocument();
    expect(screen.queryByText("Draft")).toBeNull();
    const analysisCard = screen.getByRole("region", { name: "Analysis" });
    expect(analysisCard).toHaveTextContent("divide() does not check for a zero divisor.");
    expect(analysisCard).toHaveTextContent("high confidence");
    expect(
      within(analysisCard)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["Guard against zero", "Add a regression test", "src/calc.ts"]);

    const diff = screen.getByRole("region", { name: "Changes" });
    await waitFor(() => expect(diff).toHaveTextContent("2 files"));
    expect(within(diff).getByText("test/calc.test.ts")).toBeInTheDocument();
    expect(within(diff).getByText("added")).toBeInTheDocument();
    const added = within(diff).getByText('if (b === 0) throw new RangeError("Division by zero");');
    expect(added.closest("tr")).toHaveClass("diff__line--add");
    const returns = within(diff).getAllByText("return a / b;", { selector: "td" });
    expect(returns.map((td) => td.closest("tr")?.className)).toEqual([
      "diff__line diff__line--del",
      "diff__line diff__line--add",
    ]);

    const usage = screen.getByRole("region", { name: "Token usage" });
    expect(usage).toHaveTextContent("120,000");
    // 40k uncached × 1.25 + 80k cached × 0.125 + 6k out × 10, per million = $0.12
    expect(usage).toHaveTextContent("$0.12");
    expect(screen.getByText("✓ Passed")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Retry" })).toBeNull();
  });

  it("explains a failure in plain words and retries, resuming the stream", async () => {
    const server = fakeServer(USERS.pm);
    const task = serveTask(
      server,
      makeTask({
        status: "failed",
        phase: "analyzing",
        branch: null,
        error: { code: "codex_auth", message: "401 Unauthorized from the model API." },
        finishedAt: new Date().toISOString(),
      }),
    );
    server.post(`${API}/retry`, () => {
      task.set({ status: "queued", phase: "queued", error: null, finishedAt: null });
      return empty(202);
    });
    const { user } = renderApp(PATH, server);

    expect(
      await screen.findByRole("heading", { name: "The agent could not sign in to OpenAI" }),
    ).toBeInTheDocument();
    expect(screen.getByText(/An admin must set CODEX_API_KEY/)).toBeInTheDocument();
    expect(screen.getByText("401 Unauthorized from the model API.")).toBeInTheDocument();
    expect(screen.getByText("(stopped here)")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Cancel" })).toBeNull();

    const first = FakeEventSource.latest();
    act(() => {
      first.emit(
        makeEvent(1, {
          type: "task.status",
          payload: {
            status: "failed",
            phase: "analyzing",
            outcome: null,
            error: { code: "codex_auth", message: "401 Unauthorized from the model API." },
          },
        }),
      );
      first.end();
    });
    expect(first.closed).toBe(true);

    await user.click(screen.getByRole("button", { name: "Retry" }));
    expect(server.callsTo("POST", `${API}/retry`)).toHaveLength(1);
    await waitFor(() => expect(FakeEventSource.instances).toHaveLength(2));
    expect(FakeEventSource.latest().url).toBe(`${API}/events?after=1`);
    await waitFor(() =>
      expect(screen.getByRole("status", { name: "Task status" })).toHaveTextContent("Queued"),
    );
    expect(screen.queryByText("The agent could not sign in to OpenAI")).toBeNull();
  });

  it("cancels a queued task", async () => {
    const server = fakeServer(USERS.pm);
    const task = serveTask(
      server,
      makeTask({ status: "queued", phase: "queued", startedAt: null }),
    );
    server.post(`${API}/cancel`, () => {
      task.set({
        status: "cancelled",
        error: { code: "interrupted", message: "Cancelled by pam@example.com." },
      });
      return empty(202);
    });
    const { user } = renderApp(PATH, server);
    expect(await screen.findByText("Not started")).toBeInTheDocument();
    expect(screen.getByText("Waiting for the agent to start…")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(await screen.findByRole("button", { name: "Retry" })).toBeInTheDocument();
    expect(screen.getByRole("status", { name: "Task status" })).toHaveTextContent("Cancelled");
  });

  it("lets an engineer follow up, then resumes the stream after the last event", async () => {
    const server = fakeServer(USERS.engineer);
    const task = serveTask(
      server,
      makeTask({
        status: "completed",
        phase: "done",
        outcome: "pr_opened",
        finishedAt: new Date().toISOString(),
      }),
    );
    server.post(`${API}/messages`, () => {
      task.set({ status: "running", phase: "fixing", finishedAt: null });
      return json(
        TaskResponseSchema,
        { task: makeTask({ status: "running", phase: "fixing", finishedAt: null }) },
        202,
      );
    });
    const { user } = renderApp(PATH, server);
    const box = await screen.findByLabelText("Message to the agent");
    const first = FakeEventSource.latest();
    act(() => {
      first.emit(
        makeEvent(1, {
          type: "task.turn",
          payload: { kind: "fix", prompt: "Fix it.", requestedBy: null },
        }),
        makeEvent(2, {
          type: "task.status",
          payload: { status: "completed", phase: "done", outcome: "pr_opened", error: null },
        }),
      );
      first.end();
    });

    const send = screen.getByRole("button", { name: "Send follow-up" });
    expect(send).toBeDisabled();
    await user.type(box, "also add a regression test");
    await user.click(send);

    expect(server.callsTo("POST", `${API}/messages`)[0]?.body).toEqual({
      message: "also add a regression test",
    });
    await waitFor(() => expect(FakeEventSource.instances).toHaveLength(2));
    const second = FakeEventSource.latest();
    expect(second.url).toBe(`${API}/events?after=2`);
    expect(box).toHaveValue("");
    await waitFor(() =>
      expect(screen.getByRole("status", { name: "Task status" })).toHaveTextContent(
        "Running: Fixing",
      ),
    );
    expect(screen.getByRole("button", { name: "Send follow-up" })).toBeDisabled();

    act(() => {
      second.emit(
        makeEvent(3, {
          type: "task.turn",
          payload: {
            kind: "follow_up",
            prompt: "also add a regression test",
            requestedBy: USERS.engineer.email,
          },
        }),
      );
    });
    expect(screen.getByText("Follow-up")).toBeInTheDocument();
    // Exactly one stream was reopened.
    expect(FakeEventSource.instances).toHaveLength(2);
    expect(first.closed).toBe(true);
    expect(screen.getByText(`by ${USERS.engineer.email}`)).toBeInTheDocument();
    expect(
      screen.getByText("also add a regression test", { selector: "blockquote" }),
    ).toBeInTheDocument();
  });

  it("warns about a live update it cannot read, and ignores duplicates", async () => {
    const server = fakeServer(USERS.pm);
    serveTask(server, makeTask());
    renderApp(PATH, server);
    await screen.findByRole("heading", { name: /Division by zero/ });
    const stream = FakeEventSource.latest();
    const message = makeEvent(1, {
      type: "agent",
      payload: { type: "item.completed", item: { id: "m1", type: "agent_message", text: "Hello" } },
    });
    act(() => {
      stream.emit(message, message);
      stream.emitRaw(JSON.stringify({ seq: 2, type: "task.mystery" }), "2");
    });
    expect(screen.getAllByText("Hello")).toHaveLength(1);
    expect(screen.getByRole("alert")).toHaveTextContent(
      "1 live update could not be read (the server answered something this page does not understand)",
    );
  });

  it("offers to reconnect when the stream fails", async () => {
    const server = fakeServer(USERS.pm);
    serveTask(server, makeTask());
    const { user } = renderApp(PATH, server);
    await screen.findByRole("heading", { name: /Division by zero/ });
    act(() => FakeEventSource.latest().fail());
    expect(screen.getByText("Live updates stopped")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Reconnect" }));
    expect(FakeEventSource.instances).toHaveLength(2);
  });

  it("shows the server's reason when the stream is refused past the per-person cap", async () => {
    const server = fakeServer(USERS.pm);
    serveTask(server, makeTask());
    const tooMany =
      "You have too many live task pages open; close one (or wait for its task to end) and reload";
    server.get(`${API}/events`, () => apiError(429, "rate_limited", tooMany));
    renderApp(PATH, server);
    await screen.findByRole("heading", { name: /Division by zero/ });
    act(() => FakeEventSource.latest().fail());
    expect(await screen.findByText(`: ${tooMany}`)).toBeInTheDocument();
    expect(screen.getByText("Live updates stopped")).toBeInTheDocument();
    const probes = server.callsTo("GET", `${API}/events`);
    expect(probes.map((p) => p.headers.accept)).toEqual(["text/event-stream"]);
    expect(screen.getByRole("button", { name: "Reconnect" })).toBeVisible();
  });

  it("shows no reason when the stream would open now, and closes that probe's stream", async () => {
    const server = fakeServer(USERS.pm);
    serveTask(server, makeTask());
    let cancelled = false;
    server.get(`${API}/events`, () => {
      const body = new ReadableStream({
        cancel: () => {
          cancelled = true;
        },
      });
      return new Response(body, { headers: { "Content-Type": "text/event-stream" } });
    });
    renderApp(PATH, server);
    await screen.findByRole("heading", { name: /Division by zero/ });
    act(() => FakeEventSource.latest().fail());
    await waitFor(() => expect(cancelled).toBe(true));
    expect(screen.getByText("Live updates stopped").textContent).toBe(
      "Live updates stoppedReconnect",
    );
  });

  it("shows a prompt task's own phases", async () => {
    const server = fakeServer(USERS.engineer);
    serveTask(
      server,
      makeTask({
        kind: "prompt",
        ticketKey: null,
        ticketSnapshot: null,
        prompt: "Explain how rounding works\nin detail",
        phase: "working",
      }),
    );
    renderApp(PATH, server);
    expect(
      await screen.findByRole("heading", { name: "Explain how rounding works" }),
    ).toBeInTheDocument();
    const stepper = screen.getByRole("list", { name: "Progress" });
    expect(within(stepper).getAllByRole("listitem")).toHaveLength(4);
    expect(within(stepper).getByText("Working").closest("li")).toHaveAttribute(
      "aria-current",
      "step",
    );
  });
});
