// @vitest-environment jsdom
import "../../support/web-setup.js";
import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { TaskEventInput } from "../../../shared/index.js";
import { derivePullRequestRounds } from "../../../web/src/lib/pull-request-rounds.js";
import { PullRequestCard } from "../../../web/src/pages/task/pull-request-card.js";
import { PullRequestRoundsCard } from "../../../web/src/pages/task/pull-request-rounds-card.js";
import { makeEvent } from "../../support/web-fixtures.js";

const request = (by: string, source?: "ci" | "review" | "person"): TaskEventInput => ({
  type: "task.request",
  payload: { action: "follow_up", message: "fix it", by, ...(source ? { source } : {}) },
});
const status = (
  value: "running" | "completed" | "failed",
  error: string | null = null,
): TaskEventInput => ({
  type: "task.status",
  payload: {
    status: value,
    phase: value === "running" ? "working" : "done",
    outcome: value === "completed" ? "pr_opened" : null,
    error: error === null ? null : { code: "codex_timeout", message: error },
  },
});
const log = (message: string): TaskEventInput => ({
  type: "task.log",
  payload: { level: "info", message },
});
const pushedPr: TaskEventInput = {
  type: "task.pull_request",
  payload: {
    pullRequest: { url: "https://github.test/acme/calc/pull/7", number: 7, draft: true },
    created: false,
  },
};

/** A log: the fix, a CI round that pushed, a person's follow-up, a review round that failed, one running. */
const events = [
  { type: "task.request", payload: { action: "create", message: null, by: "pat@acme.test" } },
  status("completed"),
  request("CI (lint, test)", "ci"),
  status("running"),
  log("Pushed codex/calc-7-fix at 0123456789ab"),
  pushedPr,
  status("completed"),
  request("eve@acme.test"),
  status("completed"),
  request("@ada on GitHub", "review"),
  status("running"),
  status("failed", "The agent's turn timed out"),
  request("@ada on GitHub", "review"),
  status("running"),
].map((input, index) => makeEvent(index + 1, input as TaskEventInput));

describe("derivePullRequestRounds", () => {
  it("lists CI and review rounds with how each ended, and skips people's follow-ups", () => {
    expect(derivePullRequestRounds(events).map((r) => [r.seq, r.source, r.by, r.result])).toEqual([
      [3, "ci", "CI (lint, test)", { kind: "pushed", sha: "0123456789ab" }],
      [10, "review", "@ada on GitHub", { kind: "failed", message: "The agent's turn timed out" }],
      [13, "review", "@ada on GitHub", { kind: "running" }],
    ]);
  });

  it("tells a round that pushed nothing from one that pushed", () => {
    const quiet = [request("CI (lint)", "ci"), status("running"), status("completed")].map(
      (input, index) => makeEvent(index + 1, input),
    );
    expect(derivePullRequestRounds(quiet).map((r) => r.result)).toEqual([{ kind: "no_changes" }]);
  });
});

describe("the Task page after the pull request", () => {
  it("shows each round: what started it, who, and its result", () => {
    render(<PullRequestRoundsCard rounds={derivePullRequestRounds(events)} />);
    const card = screen.getByRole("region", { name: "After the pull request" });
    const items = within(card).getAllByRole("listitem");
    expect(items.map((item) => item.querySelector(".rounds__title")?.textContent)).toEqual([
      "Round 1: Failing checksPushed 0123456789ab",
      "Round 2: ReviewFailed: The agent's turn timed out",
      "Round 3: ReviewRunning",
    ]);
    expect(
      within(items[0] as HTMLElement).getByText(/Started by CI \(lint, test\)/),
    ).toBeInTheDocument();
  });

  it("shows nothing before the first round", () => {
    const { container } = render(<PullRequestRoundsCard rounds={[]} />);
    expect(container).toBeEmptyDOMElement();
  });

  it("shows whether the pull request merged, closed or is still open", () => {
    const pr = { url: "https://github.test/acme/calc/pull/7", number: 7 };
    const { rerender } = render(
      <PullRequestCard pullRequest={{ ...pr, draft: true }} branch="codex/calc-7" />,
    );
    const title = () =>
      screen.getByRole("region", { name: "Pull request" }).querySelector(".callout__title");
    expect(title()?.textContent).toBe("Pull request #7DraftOpen");
    rerender(
      <PullRequestCard pullRequest={{ ...pr, draft: false, state: "merged" }} branch={null} />,
    );
    expect(title()?.textContent).toBe("Pull request #7Merged");
    rerender(
      <PullRequestCard pullRequest={{ ...pr, draft: true, state: "closed" }} branch={null} />,
    );
    expect(title()?.textContent).toBe("Pull request #7DraftClosed without merging");
  });
});
