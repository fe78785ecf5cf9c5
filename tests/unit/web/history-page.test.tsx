// @vitest-environment jsdom
import "../../support/web-setup.js";
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { TaskListResponseSchema, TaskStatsResponseSchema } from "../../../shared/index.js";
import { apiError, json, malformed, never } from "../../support/web-fetch.js";
import type { FakeServer } from "../../support/web-fetch.js";
import { USERS, makeStats, makeTaskSummary } from "../../support/web-fixtures.js";
import { fakeServer, renderApp } from "../../support/web-render.js";

const finished = makeTaskSummary({
  status: "completed",
  phase: "done",
  outcome: "pr_opened",
  pullRequest: { url: "https://github.com/acme/calc/pull/7", number: 7, draft: false },
  startedAt: "2025-05-02T10:00:00.000Z",
  finishedAt: "2025-05-02T10:03:12.000Z",
  usage: { inputTokens: 1_000_000, cachedInputTokens: 400_000, outputTokens: 50_000 },
});

function serveHistory(server: FakeServer) {
  server.get("/api/tasks/stats", () => json(TaskStatsResponseSchema, makeStats()));
  server.get("/api/tasks", ({ url }) =>
    url.searchParams.get("cursor") === "next"
      ? json(TaskListResponseSchema, {
          tasks: [
            makeTaskSummary({ id: "0f6d3a52-3f43-4c3a-9c44-7a0c0a1b2c3d", ticketKey: "CALC-99" }),
          ],
          nextCursor: null,
        })
      : json(TaskListResponseSchema, { tasks: [finished], nextCursor: "next" }),
  );
}

describe("History page", () => {
  it("is not in the nav for a product manager, and refuses them", async () => {
    const server = fakeServer(USERS.pm);
    renderApp("/history", server);
    expect(
      await screen.findByRole("heading", { name: "Not available to you" }),
    ).toBeInTheDocument();
    const nav = screen.getByRole("navigation", { name: "Main" });
    expect(within(nav).queryByRole("link", { name: "History" })).toBeNull();
    expect(within(nav).queryByRole("link", { name: "New task" })).toBeNull();
    expect(server.callsTo("GET", "/api/tasks")).toHaveLength(0);
  });

  it("shows loading states", async () => {
    const server = fakeServer(USERS.admin);
    server.get("/api/tasks/stats", () => never());
    server.get("/api/tasks", () => never());
    renderApp("/history", server);
    expect(await screen.findByText("Loading the summary…")).toBeInTheDocument();
    expect(screen.getByText("Loading tasks…")).toBeInTheDocument();
  });

  it("shows summary figures, charts, the table with cost, and pages on", async () => {
    const server = fakeServer(USERS.admin);
    serveHistory(server);
    const { user } = renderApp("/history", server);

    const summary = await screen.findByRole("group", { name: "Summary" });
    expect(summary).toHaveTextContent("Tasks per day5.0");
    expect(summary).toHaveTextContent("10 in total");
    expect(summary).toHaveTextContent("Success rate80%");
    expect(summary).toHaveTextContent("Median duration3m 12s");
    expect(within(summary).getAllByRole("img").length).toBeGreaterThanOrEqual(3);

    const table = await screen.findByRole("table");
    const row = within(table).getAllByRole("row")[1]!;
    expect(row).toHaveTextContent("CALC-12");
    expect(within(row).getByTitle("Division by zero crashes the calculator")).toBeVisible();
    expect(row).toHaveTextContent(USERS.pm.email);
    expect(row).toHaveTextContent("3m 12s");
    expect(row).toHaveTextContent("Pull request opened");
    expect(within(row).getByRole("link", { name: "#7" })).toHaveAttribute(
      "href",
      "https://github.com/acme/calc/pull/7",
    );
    expect(row).toHaveTextContent("1.1M");
    // 600k × 1.25 + 400k × 0.125 + 50k × 10, per million = 0.75 + 0.05 + 0.5
    expect(row).toHaveTextContent("$1.30");

    await user.click(screen.getByRole("button", { name: "Load more" }));
    expect(await screen.findByText("CALC-99")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
  });

  it("keeps filters in the URL, sends them to the API and to the CSV export", async () => {
    const server = fakeServer(USERS.admin);
    serveHistory(server);
    const { user, location } = renderApp("/history?status=failed", server);

    expect(await screen.findByLabelText("Status")).toHaveValue("failed");
    await waitFor(() =>
      expect(server.callsTo("GET", "/api/tasks")[0]?.url.searchParams.get("status")).toBe("failed"),
    );

    await user.type(screen.getByLabelText("Ticket"), "calc-12");
    await user.selectOptions(screen.getByLabelText("Repository"), "acme/calc");
    await user.type(screen.getByLabelText("From"), "2025-05-01");
    await user.click(screen.getByRole("button", { name: "Apply" }));

    await waitFor(() =>
      expect(location().search).toBe(
        "?status=failed&ticketKey=CALC-12&repo=acme%2Fcalc&from=2025-05-01",
      ),
    );
    await waitFor(() => {
      const last = server.callsTo("GET", "/api/tasks/stats").at(-1)!;
      expect(last.url.searchParams.get("ticketKey")).toBe("CALC-12");
      expect(last.url.searchParams.get("repo")).toBe("acme/calc");
      expect(last.url.searchParams.get("from")).toBe(new Date("2025-05-01T00:00:00").toISOString());
    });
    const csv = screen.getByRole("link", { name: "Export CSV" });
    const href = new URL(csv.getAttribute("href")!, "http://localhost");
    expect(href.pathname).toBe("/api/tasks/export.csv");
    expect(href.searchParams.get("status")).toBe("failed");
    expect(href.searchParams.get("ticketKey")).toBe("CALC-12");

    await user.click(screen.getByRole("button", { name: "Clear" }));
    await waitFor(() => expect(location().search).toBe(""));
  });

  it("refuses a malformed ticket key without calling the API", async () => {
    const server = fakeServer(USERS.admin);
    serveHistory(server);
    const { user, location } = renderApp("/history", server);
    await user.type(await screen.findByLabelText("Ticket"), "not a key");
    await user.click(screen.getByRole("button", { name: "Apply" }));
    expect(screen.getByRole("alert")).toHaveTextContent("Ticket must be a Jira key");
    expect(location().search).toBe("");
  });

  it("shows empty and error states", async () => {
    const server = fakeServer(USERS.admin);
    server.get("/api/tasks/stats", () => apiError(500, "internal", "Database is locked."));
    server.get("/api/tasks", () => json(TaskListResponseSchema, { tasks: [], nextCursor: null }));
    renderApp("/history", server);
    expect(await screen.findByText("No tasks yet")).toBeInTheDocument();
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not load the summary");
    expect(alert).toHaveTextContent("internal");
    expect(within(alert).getByRole("button", { name: "Retry" })).toBeInTheDocument();
  });

  it("shows a contract break in the task list", async () => {
    const server = fakeServer(USERS.admin);
    server.get("/api/tasks/stats", () => json(TaskStatsResponseSchema, makeStats()));
    server.get("/api/tasks", () => malformed({ tasks: [{ id: 1 }], nextCursor: null }));
    renderApp("/history", server);
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "The server answered something this page does not understand",
    );
  });
});
