// @vitest-environment jsdom
import "../../support/web-setup.js";
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import {
  BudgetStatusResponseSchema,
  TaskListResponseSchema,
  TaskResponseSchema,
  TicketResponseSchema,
} from "../../../shared/index.js";
import { apiError, json, never } from "../../support/web-fetch.js";
import {
  TASK_ID,
  USERS,
  makeTask,
  makeTaskSummary,
  makeTicketDetail,
} from "../../support/web-fixtures.js";
import { fakeServer, renderApp } from "../../support/web-render.js";

const API = "/api/tickets/CALC-12";

describe("Ticket page", () => {
  it("shows a loading state", async () => {
    const server = fakeServer(USERS.pm);
    server.get(API, () => never());
    renderApp("/tickets/CALC-12", server);
    expect(await screen.findByText("Loading the ticket…")).toBeInTheDocument();
  });

  it("renders the description as markdown, comments, meta and the tasks for it", async () => {
    const server = fakeServer(USERS.pm);
    server.get(API, () => json(TicketResponseSchema, { ticket: makeTicketDetail() }));
    server.get("/api/tasks", () =>
      json(TaskListResponseSchema, {
        tasks: [
          makeTaskSummary({
            status: "completed",
            phase: "done",
            outcome: "pr_opened",
            pullRequest: { url: "https://github.com/acme/calc/pull/7", number: 7, draft: true },
          }),
        ],
        nextCursor: null,
      }),
    );
    renderApp("/tickets/CALC-12", server);

    expect(
      await screen.findByRole("heading", { name: "Division by zero crashes the calculator" }),
    ).toBeInTheDocument();
    const description = screen.getByRole("region", { name: "Description" });
    expect(within(description).getByText("=").tagName).toBe("STRONG");
    expect(within(description).getByText("1/0").tagName).toBe("CODE");
    expect(screen.getByRole("region", { name: "Comments (1)" })).toHaveTextContent(
      "Reproduced on main.",
    );
    expect(screen.getByText(/· Bug/)).toBeInTheDocument();
    expect(screen.getByText("calculator", { selector: ".tag" })).toBeInTheDocument();

    const tasks = screen.getByRole("region", { name: "Tasks" });
    expect(await within(tasks).findByText("Pull request opened")).toBeInTheDocument();
    expect(within(tasks).getByRole("link", { name: "PR #7 (draft)" })).toBeInTheDocument();
    expect(server.callsTo("GET", "/api/tasks")[0]?.url.searchParams.get("ticketKey")).toBe(
      "CALC-12",
    );
  });

  it("never turns ticket HTML into elements", async () => {
    const server = fakeServer(USERS.pm);
    const description =
      "Steps:\n\n<script>alert(1)</script>\n\nThen <img src=x onerror=alert(1)> shows up.";
    server.get(API, () =>
      json(TicketResponseSchema, { ticket: makeTicketDetail({ description }) }),
    );
    server.get("/api/tasks", () => json(TaskListResponseSchema, { tasks: [], nextCursor: null }));
    const { container } = renderApp("/tickets/CALC-12", server);

    const region = await screen.findByRole("region", { name: "Description" });
    expect(container.querySelector("script")).toBeNull();
    expect(container.querySelector("img")).toBeNull();
    expect(region).toHaveTextContent("<script>alert(1)</script>");
    expect(region).toHaveTextContent("<img src=x onerror=alert(1)>");
    expect(await screen.findByText("No tasks yet")).toBeInTheDocument();
  });

  it("starts a fix with instructions and opens the task", async () => {
    const server = fakeServer(USERS.pm);
    server.get(API, () => json(TicketResponseSchema, { ticket: makeTicketDetail() }));
    server.get("/api/tasks", () => json(TaskListResponseSchema, { tasks: [], nextCursor: null }));
    server.post("/api/tasks", () => json(TaskResponseSchema, { task: makeTask() }, 202));
    server.get(`/api/tasks/${TASK_ID}`, () => json(TaskResponseSchema, { task: makeTask() }));
    const { user, location } = renderApp("/tickets/CALC-12", server);

    await user.click(await screen.findByText("Add instructions (optional)"));
    await user.type(screen.getByLabelText("Instructions for the agent"), "Add a test too");
    await user.click(screen.getByRole("button", { name: "Fix this bug" }));
    await waitFor(() => expect(location().pathname).toBe(`/tasks/${TASK_ID}`));
    expect(server.callsTo("POST", "/api/tasks")[0]?.body).toEqual({
      ticketKey: "CALC-12",
      instructions: "Add a test too",
    });
    // Keyboard and screen reader users land on the new page's heading, not in the header.
    await screen.findByRole("status", { name: "Task status" });
    const heading = screen.getByRole("heading", { level: 1, name: /Division by zero/ });
    await waitFor(() => expect(heading).toHaveFocus());
  });

  it("shows the budget left beside the Fix button, and why it is disabled once spent", async () => {
    const server = fakeServer(USERS.pm);
    server.get(API, () => json(TicketResponseSchema, { ticket: makeTicketDetail() }));
    server.get("/api/tasks", () => json(TaskListResponseSchema, { tasks: [], nextCursor: null }));
    const line = {
      scope: "daily" as const,
      limit: 50,
      spent: 12.5,
      resetsAt: "2026-12-02T00:00:00.000Z",
      repo: null,
    };
    let blocked: string | null = null;
    server.get("/api/budget", () =>
      json(BudgetStatusResponseSchema, {
        currency: "USD",
        day: "2026-12-01",
        budgets: [line],
        blocked,
      }),
    );
    const first = renderApp("/tickets/CALC-12", server);
    const button = await screen.findByRole("button", { name: "Fix this bug" });
    expect(await screen.findByText("Budget left today: $37.50")).toBeInTheDocument();
    expect(button).toBeEnabled();
    first.unmount();

    blocked =
      "The daily budget (DAILY_BUDGET) is spent: 50.10 USD of 50.00 USD used today; it resets at 00:00 UTC (2026-12-02T00:00:00.000Z)";
    renderApp("/tickets/CALC-12", server);
    const disabled = await screen.findByRole("button", { name: "Fix this bug" });
    await waitFor(() => expect(disabled).toBeDisabled());
    expect(disabled).toHaveAccessibleDescription(blocked);
    expect(server.callsTo("POST", "/api/tasks")).toEqual([]);
  });

  it("links to the running task instead of the Fix button", async () => {
    const server = fakeServer(USERS.pm);
    server.get(API, () =>
      json(TicketResponseSchema, {
        ticket: makeTicketDetail({
          activeTask: { id: TASK_ID, status: "queued", phase: "queued" },
        }),
      }),
    );
    server.get("/api/tasks", () => json(TaskListResponseSchema, { tasks: [], nextCursor: null }));
    renderApp("/tickets/CALC-12", server);
    expect(await screen.findByText("The agent is on it")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: /Queued/ })).toHaveAttribute(
      "href",
      `/tasks/${TASK_ID}`,
    );
    expect(screen.queryByRole("button", { name: "Fix this bug" })).toBeNull();
  });

  it("says when the ticket does not exist", async () => {
    const server = fakeServer(USERS.pm);
    server.get(API, () => apiError(404, "jira_not_found", "CALC-12 does not exist."));
    renderApp("/tickets/CALC-12", server);
    expect(
      await screen.findByRole("heading", { name: "Ticket CALC-12 not found" }),
    ).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("jira_not_found");
  });
});
