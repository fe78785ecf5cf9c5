// @vitest-environment jsdom
import "../../support/web-setup.js";
import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import {
  TaskListResponseSchema,
  TaskStatsResponseSchema,
  type PullRequestFigures,
} from "../../../shared/index.js";
import { PullRequestOutcomes } from "../../../web/src/pages/history/pull-request-outcomes.js";
import { json } from "../../support/web-fetch.js";
import { USERS, makeStats } from "../../support/web-fixtures.js";
import { fakeServer, renderApp, renderWithProviders } from "../../support/web-render.js";

const NO_TOKENS = { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 };

function figures(key: string, overrides: Partial<PullRequestFigures> = {}): PullRequestFigures {
  return {
    key,
    opened: 4,
    merged: 2,
    closed: 1,
    mergeRate: 2 / 3,
    medianClickToPrMs: 6 * 60_000,
    medianPrToMergeMs: 3 * 3_600_000,
    firstPushGreenRate: 0.5,
    roundsPerPr: 1.25,
    mergedUsage: NO_TOKENS,
    mergedCost: 3,
    costPerMergedPr: 1.5,
    ...overrides,
  };
}

const stats = makeStats({
  pullRequests: {
    total: figures("total"),
    days: [figures("2025-05-01", { opened: 1 }), figures("2025-05-02", { opened: 3 })],
    weeks: [figures("2025-04-28", { opened: 4, roundsPerPr: 2 })],
    months: [figures("2025-05", { opened: 4, merged: 3, costPerMergedPr: 1 })],
    repos: [figures("acme/calc")],
  },
});

function render() {
  return renderWithProviders(<PullRequestOutcomes stats={stats} currency="USD" />, {
    server: fakeServer(USERS.admin),
  });
}

describe("History's pull request figures", () => {
  it("shows merge rate, time to merge, first-push CI, rounds and cost per merged pull request", () => {
    render();
    const group = screen.getByRole("group", { name: "Pull request figures" });
    expect(within(group).getByText("67%")).toBeInTheDocument();
    expect(within(group).getByText("4 opened · 2 merged · 1 closed")).toBeInTheDocument();
    expect(within(group).getByText("3h 00m")).toBeInTheDocument();
    expect(within(group).getByText("50%")).toBeInTheDocument();
    expect(within(group).getByText("1.3 follow-up rounds per pull request")).toBeInTheDocument();
    expect(within(group).getByText("$1.50")).toBeInTheDocument();
    expect(within(group).getByText("$3.00 for 2 merged")).toBeInTheDocument();
  });

  it("gives each chart a text alternative with the numbers, for the period chosen", async () => {
    const { user } = render();
    // Weeks first: an admin's usual question is "this week against last week".
    expect(
      screen.getByRole("img", {
        name: "Pull requests opened per week (from Monday), merged ones in the darker part: 2025-04-28 4 opened, 2 merged",
      }),
    ).toBeInTheDocument();
    await user.click(screen.getByRole("radio", { name: "Day" }));
    expect(
      screen.getByRole("img", {
        name: "Pull requests opened per day, merged ones in the darker part: 2025-05-01 1 opened, 2 merged; 2025-05-02 3 opened, 2 merged",
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole("img", {
        name: "Follow-up rounds per pull request, per day: 2025-05-01 1.3; 2025-05-02 1.3",
      }),
    ).toBeInTheDocument();
  });

  it("has the same numbers in tables per period and per repository", async () => {
    const { user } = render();
    await user.click(screen.getByRole("radio", { name: "Month" }));
    await user.click(screen.getByText(/The figures as tables/));
    const perMonth = screen.getByRole("table", { name: "Per month opened" });
    const row = within(perMonth).getByRole("row", { name: /2025-05/ });
    expect(
      within(row)
        .getAllByRole("cell")
        .map((c) => c.textContent),
    ).toEqual(["4", "3", "1", "67%", "6m 00s", "3h 00m", "50%", "1.3", "$1.00"]);
    const perRepo = screen.getByRole("table", { name: "Per repository" });
    expect(within(perRepo).getByRole("rowheader", { name: "acme/calc" })).toBeInTheDocument();
  });

  it("shows dashes, not zeroes, where nothing is known yet", () => {
    const empty = figures("total", {
      opened: 0,
      merged: 0,
      closed: 0,
      mergeRate: null,
      medianClickToPrMs: null,
      medianPrToMergeMs: null,
      firstPushGreenRate: null,
      roundsPerPr: null,
      mergedCost: 0,
      costPerMergedPr: null,
    });
    renderWithProviders(
      <PullRequestOutcomes
        stats={makeStats({
          pullRequests: { total: empty, days: [], weeks: [], months: [], repos: [] },
        })}
        currency="USD"
      />,
      { server: fakeServer(USERS.admin) },
    );
    const group = screen.getByRole("group", { name: "Pull request figures" });
    expect(within(group).getAllByText("—")).toHaveLength(4);
  });

  it("is on the History page under the summary", async () => {
    const server = fakeServer(USERS.admin);
    server.get("/api/tasks/stats", () => json(TaskStatsResponseSchema, stats));
    server.get("/api/tasks", () => json(TaskListResponseSchema, { tasks: [], nextCursor: null }));
    renderApp("/history", server);
    expect(await screen.findByRole("heading", { name: "Pull requests" })).toBeInTheDocument();
    expect(screen.getByRole("group", { name: "Pull request figures" })).toBeInTheDocument();
  });
});
