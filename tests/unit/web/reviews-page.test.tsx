// @vitest-environment jsdom
import "../../support/web-setup.js";
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import {
  ReviewRunListResponseSchema,
  ReviewRunResponseSchema,
  type ReviewResult,
  type ReviewRun,
  type ReviewRunDetail,
} from "../../../shared/index.js";
import { apiError, deferred, json, malformed, never } from "../../support/web-fetch.js";
import { USERS } from "../../support/web-fixtures.js";
import { fakeServer, renderApp } from "../../support/web-render.js";

const RUN_ID = "5f0c3c1e-6a4b-4b8e-9a43-0c7d1f2e3a4b";
const OLD_RUN_ID = "6a1d4d2f-7b5c-4c9f-8b54-1d8e2f3a4b5c";

function run(overrides: Partial<ReviewRun> = {}): ReviewRun {
  return {
    id: RUN_ID,
    status: "completed",
    trigger: "schedule",
    triggeredBy: null,
    windowStart: "2026-01-01T02:00:00.000Z",
    startedAt: "2026-01-02T02:00:00.000Z",
    finishedAt: "2026-01-02T02:04:00.000Z",
    reviewedCount: 2,
    failedCount: 1,
    usage: { inputTokens: 12_000, cachedInputTokens: 1_000, outputTokens: 800 },
    slack: "posted",
    errors: [],
    ...overrides,
  };
}

function result(n: number, overrides: Partial<ReviewResult> = {}): ReviewResult {
  return {
    repo: "acme/calc",
    prNumber: n,
    title: `Change ${n}`,
    url: `https://github.com/acme/calc/pull/${n}`,
    author: "ada",
    headRef: `feature/${n}`,
    headSha: "a".repeat(40),
    baseRef: "main",
    status: "reviewed",
    review: {
      pr_number: n,
      title: `Change ${n}`,
      summary: `Summary of ${n}.`,
      risk_level: "low",
      security_concerns: [],
      test_notes: null,
    },
    error: null,
    ticket: null,
    usage: { inputTokens: 1, cachedInputTokens: 0, outputTokens: 1 },
    startedAt: "2026-01-02T02:00:00.000Z",
    finishedAt: "2026-01-02T02:01:00.000Z",
    ...overrides,
  };
}

/** What the server answers, already sorted by risk as GET /api/reviews/:id does. */
const DETAIL: ReviewRunDetail = {
  ...run(),
  results: [
    result(7, {
      review: {
        pr_number: 7,
        title: "Change 7",
        summary: "Evaluates user input.",
        risk_level: "high",
        security_concerns: ["eval() on request data"],
        test_notes: "No tests.",
      },
      ticket: { key: "CALC-7", url: "https://jira.example/browse/CALC-7", status: "In Progress" },
    }),
    result(3),
    result(9, {
      status: "failed",
      review: null,
      error: { code: "codex_timeout", message: "The review took too long" },
    }),
  ],
};

function serveRuns(server: ReturnType<typeof fakeServer>, runs: ReviewRun[] = [run()]) {
  server.get("/api/reviews", () => json(ReviewRunListResponseSchema, { runs, nextCursor: null }));
  server.get(`/api/reviews/${RUN_ID}`, () => json(ReviewRunResponseSchema, { run: DETAIL }));
}

describe("Reviews page", () => {
  it("is in the nav for engineers, not for product managers (who are refused)", async () => {
    const pm = fakeServer(USERS.pm);
    renderApp("/reviews", pm);
    expect(
      await screen.findByRole("heading", { name: "Not available to you" }),
    ).toBeInTheDocument();
    const nav = screen.getByRole("navigation", { name: "Main" });
    expect(within(nav).queryByRole("link", { name: "Reviews" })).toBeNull();
    expect(pm.callsTo("GET", "/api/reviews")).toHaveLength(0);
  });

  it("shows a loading state", async () => {
    const server = fakeServer(USERS.engineer);
    server.get("/api/reviews", () => never());
    renderApp("/reviews", server);
    expect(await screen.findByText("Loading review runs…")).toBeInTheDocument();
  });

  it("shows an empty state, and no Run now button for an engineer", async () => {
    const server = fakeServer(USERS.engineer);
    serveRuns(server, []);
    renderApp("/reviews", server);
    expect(await screen.findByText("No review runs yet")).toBeInTheDocument();
    const nav = screen.getByRole("navigation", { name: "Main" });
    expect(within(nav).getByRole("link", { name: "Reviews" })).toHaveAttribute("href", "/reviews");
    expect(screen.queryByRole("button", { name: "Run now" })).toBeNull();
  });

  it("shows an error with a retry, and a contract error for a malformed answer", async () => {
    const server = fakeServer(USERS.engineer);
    server.get("/api/reviews", () => apiError(500, "internal", "Database is locked"));
    const { user } = renderApp("/reviews", server);
    expect(await screen.findByText("Could not load the review runs")).toBeInTheDocument();
    expect(screen.getByText("Database is locked")).toBeInTheDocument();
    server.get("/api/reviews", () => malformed({ runs: [{ id: 1 }] }));
    await user.click(screen.getByRole("button", { name: "Retry" }));
    expect(
      await screen.findByText("The server answered something this page does not understand"),
    ).toBeInTheDocument();
  });

  it("lists runs newest first with the latest open: PRs by risk, summary, concerns, ticket", async () => {
    const server = fakeServer(USERS.engineer);
    serveRuns(server, [run(), run({ id: OLD_RUN_ID, startedAt: "2026-01-01T02:00:00.000Z" })]);
    const { user } = renderApp("/reviews", server);

    const list = await screen.findByRole("list", { name: "Pull requests by risk" });
    const items = within(list).getAllByRole("listitem", { name: /acme\/calc#/ });
    expect(items.map((item) => item.getAttribute("aria-label"))).toEqual([
      "acme/calc#7",
      "acme/calc#3",
      "acme/calc#9",
    ]);
    const [high, low, failed] = items;
    expect(high).toHaveTextContent("High risk");
    expect(high).toHaveTextContent("Evaluates user input.");
    expect(high).toHaveTextContent("eval() on request data");
    expect(within(high!).getByRole("link", { name: "acme/calc#7" })).toHaveAttribute(
      "href",
      "https://github.com/acme/calc/pull/7",
    );
    expect(within(high!).getByRole("link", { name: "CALC-7" })).toHaveAttribute(
      "href",
      "https://jira.example/browse/CALC-7",
    );
    expect(high).toHaveTextContent("(In Progress)");
    expect(low).toHaveTextContent("Low risk");
    expect(failed).toHaveTextContent("Not reviewed");
    expect(failed).toHaveTextContent("codex_timeout");

    const cards = screen.getAllByRole("article");
    expect(cards).toHaveLength(2);
    expect(cards[0]).toHaveTextContent(
      "Scheduled · 2 reviewed, 1 failed · 12.8K tokens · Slack posted",
    );
    // Older runs load their pull requests when opened.
    expect(server.callsTo("GET", `/api/reviews/${OLD_RUN_ID}`)).toHaveLength(0);
    server.get(`/api/reviews/${OLD_RUN_ID}`, () =>
      json(ReviewRunResponseSchema, { run: { ...DETAIL, id: OLD_RUN_ID, results: [] } }),
    );
    await user.click(within(cards[1]!).getByRole("button", { name: "Show pull requests" }));
    expect(
      await within(cards[1]!).findByText("No open pull request was updated in the window."),
    ).toBeInTheDocument();
  });

  it("lets an admin run a review now, and explains a conflict", async () => {
    const server = fakeServer(USERS.admin);
    serveRuns(server, []);
    const answer = deferred();
    server.post("/api/reviews/run", () => answer.promise);
    const { user } = renderApp("/reviews", server);

    await user.click(await screen.findByRole("button", { name: "Run now" }));
    expect(await screen.findByRole("button", { name: "Starting…" })).toBeDisabled();
    answer.release(apiError(409, "conflict", "A review run is already in progress"));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "A review run is already in progress; it will appear below.",
    );

    serveRuns(server, [run({ status: "running", finishedAt: null, slack: null })]);
    server.post("/api/reviews/run", () =>
      json(ReviewRunResponseSchema, { run: { ...DETAIL, status: "running", results: [] } }, 202),
    );
    await user.click(screen.getByRole("button", { name: "Run now" }));
    await waitFor(() => expect(server.callsTo("POST", "/api/reviews/run")).toHaveLength(2));
    expect(await screen.findByRole("button", { name: "Review running…" })).toBeDisabled();
  });
});
