// @vitest-environment jsdom
import "../../support/web-setup.js";
import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import {
  SpendReportResponseSchema,
  TaskListResponseSchema,
  TaskStatsResponseSchema,
} from "../../../shared/index.js";
import type { SpendReportResponse } from "../../../shared/index.js";
import { apiError, json, never } from "../../support/web-fetch.js";
import type { FakeServer } from "../../support/web-fetch.js";
import { USERS, makeStats } from "../../support/web-fixtures.js";
import { fakeServer, renderApp } from "../../support/web-render.js";

const REPORT: SpendReportResponse = {
  currency: "USD",
  from: "2026-11-02",
  to: "2026-12-01",
  limits: { daily: 10, person: 2, repo: 5 },
  rows: [
    { day: "2026-11-30", person: "ann@acme.test", repo: "acme/calc", spent: 1, requests: 4 },
    { day: "2026-12-01", person: "ann@acme.test", repo: "acme/calc", spent: 1.2, requests: 5 },
    { day: "2026-12-01", person: "ann@acme.test", repo: "acme/web", spent: 0.5, requests: 2 },
    { day: "2026-12-01", person: "bob@acme.test", repo: "acme/calc", spent: 2.5, requests: 9 },
    { day: "2026-12-01", person: null, repo: null, spent: 0.3, requests: 1 },
  ],
};

function serveHistory(server: FakeServer) {
  server.get("/api/tasks/stats", () => json(TaskStatsResponseSchema, makeStats()));
  server.get("/api/tasks", () => json(TaskListResponseSchema, { tasks: [], nextCursor: null }));
}

/** A table's body rows as lists of cell texts. */
function cells(table: HTMLElement): string[][] {
  return within(table)
    .getAllByRole("row")
    .slice(1)
    .map((row) => [...row.querySelectorAll("th, td")].map((cell) => cell.textContent ?? ""));
}

describe("History: spend against budgets", () => {
  it("shows spend per day, person and repository, each against its daily budget", async () => {
    const server = fakeServer(USERS.admin);
    serveHistory(server);
    server.get("/api/budget/spend", () => json(SpendReportResponseSchema, REPORT));
    renderApp("/history", server);

    const section = await screen.findByRole("region", { name: "Spend against budgets" });
    await within(section).findByRole("table", { name: "Spend per day" });
    expect(section).toHaveTextContent(
      "$5.50 over 21 model requests, 2026-11-02 to 2026-12-01 (UTC days).",
    );
    expect(cells(within(section).getByRole("table", { name: "Spend per day" }))).toEqual([
      ["2026-12-01", "$4.50", "17", "45% of $10.00"],
      ["2026-11-30", "$1.00", "4", "10% of $10.00"],
    ]);
    expect(cells(within(section).getByRole("table", { name: "Spend per person" }))).toEqual([
      ["ann@acme.test", "$2.70", "11", "2026-12-01 ($1.70)", "85% of $2.00 near the limit"],
      ["bob@acme.test", "$2.50", "9", "2026-12-01 ($2.50)", "125% of $2.00 over budget"],
      ["Nightly reviews", "$0.30", "1", "2026-12-01 ($0.30)", "no budget"],
    ]);
    expect(cells(within(section).getByRole("table", { name: "Spend per repository" }))).toEqual([
      ["acme/calc", "$4.70", "18", "2026-12-01 ($3.70)", "74% of $5.00"],
      ["acme/web", "$0.50", "2", "2026-12-01 ($0.50)", "10% of $5.00"],
      ["No repository (reviews)", "$0.30", "1", "2026-12-01 ($0.30)", "no budget"],
    ]);
  });

  it("asks for the History's date range", async () => {
    const server = fakeServer(USERS.admin);
    serveHistory(server);
    server.get("/api/budget/spend", () => json(SpendReportResponseSchema, { ...REPORT, rows: [] }));
    renderApp("/history?from=2026-11-01&to=2026-11-15", server);

    const section = await screen.findByRole("region", { name: "Spend against budgets" });
    expect(await within(section).findByText("No model requests in these days.")).toBeVisible();
    const [call] = server.callsTo("GET", "/api/budget/spend");
    expect(Object.fromEntries(call!.url.searchParams)).toEqual({
      from: "2026-11-01",
      to: "2026-11-15",
    });
  });

  it("shows loading, then an error with a retry", async () => {
    const server = fakeServer(USERS.admin);
    serveHistory(server);
    server.get("/api/budget/spend", () => never());
    const first = renderApp("/history", server);
    expect(await screen.findByText("Loading the spend…")).toBeInTheDocument();
    first.unmount();

    server.get("/api/budget/spend", () => apiError(500, "internal", "The ledger is unreadable"));
    const { user } = renderApp("/history", server);
    const section = await screen.findByRole("region", { name: "Spend against budgets" });
    expect(await within(section).findByText("The ledger is unreadable")).toBeVisible();
    server.get("/api/budget/spend", () => json(SpendReportResponseSchema, REPORT));
    await user.click(within(section).getByRole("button", { name: /retry/i }));
    expect(await within(section).findByRole("table", { name: "Spend per day" })).toBeVisible();
  });

  it("is left out on a server that meters no usage (404)", async () => {
    const server = fakeServer(USERS.admin);
    serveHistory(server);
    server.get("/api/budget/spend", () =>
      apiError(404, "not_found", "This server does not meter model usage"),
    );
    renderApp("/history", server);
    await screen.findByText("No tasks yet");
    await vi.waitFor(() => expect(server.callsTo("GET", "/api/budget/spend")).toHaveLength(1));
    expect(screen.queryByRole("region", { name: "Spend against budgets" })).toBeNull();
    expect(screen.queryByText("Loading the spend…")).toBeNull();
  });
});
